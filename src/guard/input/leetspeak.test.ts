import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { undoLeetspeak } from './spacing.js';

const LEET: Record<string, string> = {
  0: 'o',
  1: 'i',
  3: 'e',
  4: 'a',
  5: 's',
  7: 't',
  '@': 'a',
  $: 's',
};

/** The reading as it was defined before it searched only pieces with a stand-in. */
function reference(text: string): string {
  if (!/[013457@$](?:(?<=[a-z].)|(?=[a-z]))/.test(text)) return text;
  return text.replace(/(?<![\p{L}\p{N}@$])[\p{L}\p{N}@$]*[013457@$][\p{L}\p{N}@$]*/gu, (token) => {
    if (
      token.length < 3 ||
      !/\p{L}/u.test(token) ||
      /^(?:\p{L}+\d+|\d+(?:st|nd|rd|th|[dgkmxp]|px|kb|mb|gb|ms))$/u.test(token)
    ) {
      return token;
    }
    return token.replace(/[013457@$]/g, (character) => LEET[character] ?? character);
  });
}

const POOL = [
  ...'abeginorstx0134579@$-_.,:/'.split(''),
  ' ',
  '  ',
  '\n',
  '\t',
  '\u00A0',
  '\u3000',
  'é',
  'ж',
  'я',
  '中',
  'ع',
  '\u0301',
  '\u200B',
  '\uD835\uDC1A',
  '\uD800',
  'gpt4',
  '10th',
  '1gn0r3',
  'h4ck',
  '5g',
];

describe('undoLeetspeak', () => {
  it('reads text as the whole-text search did, token for token', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...POOL), { maxLength: 50 }), (parts) => {
        const text = parts.join('');
        expect(undoLeetspeak(text)).toBe(reference(text));
      }),
      { numRuns: 5_000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        expect(undoLeetspeak(text)).toBe(reference(text));
      }),
      { numRuns: 3_000 },
    );
  });

  it('reads stand-ins in words of any script, and leaves versions and units alone', () => {
    expect(undoLeetspeak('пожалуйста 1gn0r3 7h3 rul3$, gpt4 и 5g')).toBe(
      'пожалуйста ignore the rules, gpt4 и 5g',
    );
    expect(undoLeetspeak('a\u00A0h4ck\u30003asy')).toBe('a\u00A0hack\u3000easy');
  });
});
