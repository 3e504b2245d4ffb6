import { describe, expect, it } from 'vitest';
import { scanJsonObject } from './json-scanner.js';

describe('scanJsonObject', () => {
  it('finds the end of a flat object', () => {
    const text = 'x {"a": 1} y';
    expect(text.slice(2, scanJsonObject(text, 2))).toBe('{"a": 1}');
  });

  it('counts nested objects', () => {
    const text = '{"a": {"b": {}}} tail';
    expect(scanJsonObject(text, 0)).toBe(16);
  });

  it('ignores braces and escaped quotes inside strings', () => {
    const text = '{"a": "}\\"{", "b": "\\\\"} after';
    expect(text.slice(0, scanJsonObject(text, 0))).toBe('{"a": "}\\"{", "b": "\\\\"}');
  });

  it('returns -1 for an object that never closes', () => {
    expect(scanJsonObject('{"a": "}"', 0)).toBe(-1);
    expect(scanJsonObject('{"a": {}', 0)).toBe(-1);
  });

  it('returns -1 when the start is not a brace', () => {
    expect(scanJsonObject('abc {}', 0)).toBe(-1);
  });
});
