import { describe, expect, it } from 'vitest';
import { randomId } from './random-id.js';

describe('randomId', () => {
  it('gives base64url ids of the bytes asked for, each different, across pool refills', () => {
    const seen = new Set<string>();
    // Enough ids to refill the 4 KiB pool many times, with sizes that do not divide it.
    for (let index = 0; index < 20_000; index++) {
      const bytes = [9, 12, 16][index % 3]!;
      const id = randomId(bytes);
      expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(id, 'base64url')).toHaveLength(bytes);
      seen.add(id);
    }
    expect(seen.size).toBe(20_000);
  });

  it('spreads its bytes evenly', () => {
    const counts = new Array<number>(256).fill(0);
    for (let index = 0; index < 4_096; index++) {
      for (const byte of Buffer.from(randomId(16), 'base64url')) counts[byte]! += 1;
    }
    // 65,536 bytes over 256 values: 256 each on average; a stuck or reused pool is far off.
    expect(Math.min(...counts)).toBeGreaterThan(150);
    expect(Math.max(...counts)).toBeLessThan(370);
  });

  it('refuses sizes it cannot serve', () => {
    for (const bytes of [0, -1, 1.5, 257, Number.NaN]) {
      expect(() => randomId(bytes)).toThrow(RangeError);
    }
  });
});
