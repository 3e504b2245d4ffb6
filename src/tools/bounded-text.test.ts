import { describe, expect, it } from 'vitest';
import { truncateText, truncateUtf8 } from './bounded-text.js';

describe('truncateText', () => {
  it('keeps short text and cuts long text to the limit with a marker', () => {
    expect(truncateText('short', 10)).toBe('short');
    expect(truncateText('abcdefghijkl', 5)).toBe('abcd…');
  });

  it('does not split a surrogate pair', () => {
    expect(truncateText('ab😀cd', 4)).toBe('ab…');
  });
});

describe('truncateUtf8', () => {
  it('keeps text that fits', () => {
    expect(truncateUtf8('héllo', 6)).toBe('héllo');
  });

  it('cuts to the byte limit, marker included, on a character boundary', () => {
    const text = '€'.repeat(100);

    const cut = truncateUtf8(text, 120);

    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(120);
    expect(cut).toMatch(/^(€)+\n\[output truncated: 300 bytes, the first part is shown\]$/);
    expect(cut).not.toContain('\uFFFD');
  });

  it('drops the marker when the limit is too small to hold it', () => {
    expect(truncateUtf8('abcdefgh', 4)).toBe('abcd');
  });
});
