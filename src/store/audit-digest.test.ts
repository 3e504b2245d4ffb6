import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isRampartError } from '../core/index.js';
import { argumentsDigest, canonicalJson } from './audit-digest.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('argumentsDigest', () => {
  it('is the sha256 hex of the JSON with keys sorted at every depth', () => {
    const args = { query: 'rust', filters: { year: 2026, lang: ['en', 'de'] }, limit: 5 };

    expect(canonicalJson(args)).toBe(
      '{"filters":{"lang":["en","de"],"year":2026},"limit":5,"query":"rust"}',
    );
    expect(argumentsDigest(args)).toBe(
      sha256('{"filters":{"lang":["en","de"],"year":2026},"limit":5,"query":"rust"}'),
    );
    expect(argumentsDigest(args)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives one digest for the same arguments in any key order', () => {
    const first = JSON.parse('{"b":{"y":[{"q":1,"p":2}],"x":null},"a":"\\u0000"}') as unknown;
    const second = JSON.parse('{"a":"\\u0000","b":{"x":null,"y":[{"p":2,"q":1}]}}') as unknown;

    expect(argumentsDigest(first)).toBe(argumentsDigest(second));
  });

  it('tells apart arguments that differ in value, array order or nesting', () => {
    const base = argumentsDigest({ list: [1, 2], flag: true });
    const others = [
      { list: [2, 1], flag: true },
      { list: [1, 2], flag: false },
      { list: [1, 2], flag: 'true' },
      { list: [1, 2] },
      { list: { 0: 1, 1: 2 }, flag: true },
    ];

    const digests = others.map((other) => argumentsDigest(other));
    expect(new Set([base, ...digests]).size).toBe(others.length + 1);
  });

  it('keeps a __proto__ key as data', () => {
    const withKey = JSON.parse('{"__proto__":{"admin":true},"a":1}') as unknown;

    expect(canonicalJson(withKey)).toBe('{"__proto__":{"admin":true},"a":1}');
    expect(argumentsDigest(withKey)).not.toBe(argumentsDigest({ a: 1 }));
  });

  it('digests strings, emoji and lone surrogates without loss', () => {
    expect(canonicalJson('plain text')).toBe('"plain text"');
    expect(argumentsDigest('🦊')).toBe(sha256('"🦊"'));
    expect(canonicalJson({ s: '\uD800' })).toBe('{"s":"\\ud800"}');
    expect(argumentsDigest('\uD800')).not.toBe(argumentsDigest('\uDBFF'));
  });

  it('sorts keys by code unit, not by locale', () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, é: 4, '10': 5, '9': 6 })).toBe(
      '{"10":5,"9":6,"B":2,"a":3,"b":1,"é":4}',
    );
  });

  it('refuses values JSON cannot hold', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;

    for (const value of [undefined, () => 1, 10n, cycle]) {
      let caught: unknown;
      try {
        argumentsDigest(value);
      } catch (error) {
        caught = error;
      }
      expect(isRampartError(caught, 'RAMPART_INVALID_REQUEST')).toBe(true);
    }
  });
});
