import { describe, expect, it } from 'vitest';
import { boundedMemo } from './bounded-memo.js';

describe('boundedMemo', () => {
  it('computes each key once, an undefined value too, and starts over past its bound', () => {
    const computed: string[] = [];
    const memo = boundedMemo((key) => {
      computed.push(key);
      return key === 'none' ? undefined : key.length;
    }, 2);
    expect([memo('ab'), memo('ab'), memo('none'), memo('none')]).toEqual([
      2,
      2,
      undefined,
      undefined,
    ]);
    expect(computed).toEqual(['ab', 'none']);
    // A third key clears the two kept: 'ab' is computed again.
    expect([memo('abc'), memo('ab')]).toEqual([3, 2]);
    expect(computed).toEqual(['ab', 'none', 'abc', 'ab']);
  });
});
