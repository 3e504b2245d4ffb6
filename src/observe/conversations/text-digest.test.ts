import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SHORT_TEXT, textDigest } from './text-digest.js';

describe('textDigest', () => {
  it('gives the same text the same digest, built from equal strings made apart', () => {
    const text = 'where is my order?';
    expect(textDigest(text)).toBe(textDigest(['where is', 'my order?'].join(' ')));
    const long = 'x'.repeat(SHORT_TEXT + 1);
    expect(textDigest(long)).toBe(textDigest('x'.repeat(SHORT_TEXT) + 'x'));
  });

  it('tells apart 200,000 texts that differ by little, in both forms', () => {
    const seen = new Set<string>();
    let texts = 0;
    const add = (text: string) => {
      seen.add(textDigest(text));
      texts += 1;
    };
    for (let index = 0; index < 100_000; index++) add(`where is order ${index}?`);
    // Neighbours in length and content, swapped characters, unicode, empty and one unit.
    for (let index = 0; index < 50_000; index++) add('a'.repeat(index % 2_000) + String(index));
    for (let index = 0; index < 49_997; index++) add(String.fromCharCode(index) + 'ba');
    add('');
    add('ab');
    add('ba');
    expect(seen.size).toBe(texts);
  });

  it('digests long texts with SHA-256, kept apart from the short form', () => {
    const long = 'é'.repeat(SHORT_TEXT + 5);
    expect(textDigest(long)).toBe(`s${hash('sha256', long, 'base64url')}`);
    expect(textDigest('short').startsWith('f')).toBe(true);
  });

  it('keeps no text: the digest of a short text does not contain it', () => {
    const text = 'my secret plan';
    expect(textDigest(text)).not.toContain('secret');
    expect(textDigest(text)).toMatch(/^f[0-9a-z]+\.[0-9a-z]+$/);
  });
});
