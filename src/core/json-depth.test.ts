import { describe, expect, it } from 'vitest';

import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-depth.js';

/** `levels` objects nested inside each other, built from text as a client would send it. */
function nestedObjects(levels: number): unknown {
  return JSON.parse('{"a":'.repeat(levels) + '1' + '}'.repeat(levels));
}

function nestedArrays(levels: number): unknown {
  return JSON.parse('['.repeat(levels) + ']'.repeat(levels));
}

describe('jsonDepthExceeds', () => {
  it('gives scalars depth 0', () => {
    for (const scalar of [null, 1, 'text', true, undefined]) {
      expect(jsonDepthExceeds(scalar, 0)).toBe(false);
    }
  });

  it('gives empty objects and arrays depth 1', () => {
    expect(jsonDepthExceeds({}, 0)).toBe(true);
    expect(jsonDepthExceeds({}, 1)).toBe(false);
    expect(jsonDepthExceeds([], 0)).toBe(true);
    expect(jsonDepthExceeds([], 1)).toBe(false);
  });

  it('counts the deepest path, through objects and arrays alike', () => {
    const value = { a: 1, b: [{ c: [2] }], d: { e: 3 } };
    expect(jsonDepthExceeds(value, 3)).toBe(true);
    expect(jsonDepthExceeds(value, 4)).toBe(false);
  });

  it('finds a deep path behind a later sibling', () => {
    const value = [{ deep: nestedObjects(10) }, 1, 'x'];
    expect(jsonDepthExceeds(value, 11)).toBe(true);
    expect(jsonDepthExceeds(value, 12)).toBe(false);
  });

  it('measures exactly the limit as within it', () => {
    expect(jsonDepthExceeds(nestedArrays(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(jsonDepthExceeds(nestedArrays(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  });

  it('measures 5,000 levels without overflowing the stack', () => {
    expect(jsonDepthExceeds(nestedObjects(5000), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDepthExceeds(nestedArrays(5000), MAX_JSON_DEPTH)).toBe(true);
    expect(jsonDepthExceeds(nestedObjects(5000), 5000)).toBe(false);
    expect(jsonDepthExceeds(nestedArrays(200_000), 200_000)).toBe(false);
  });

  it('treats a cycle as too deep instead of walking forever', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(jsonDepthExceeds(cyclic, MAX_JSON_DEPTH)).toBe(true);
  });
});
