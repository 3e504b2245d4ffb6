import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPACED_OTHER, spacedOut } from './spaced-other.js';

/** The search as it was made before it was tried at the hint's places only. */
function searchedWhole(text: string): boolean {
  return (
    /[\u0080-\uFFFF]/.test(text) &&
    /[\u0080-\uffff] [\u0080-\uffff] [\u0080-\uffff] [\u0080-\uffff]/.test(text) &&
    SPACED_OTHER.test(text)
  );
}

// Letters of several scripts (Cyrillic, Greek, Han, Hangul, accented Latin), letters outside
// the BMP (Deseret, mathematical script), ASCII letters, marks, digits, non-letters outside ASCII
// (a middle dot, a dash, an emoji, a lone surrogate) and spaces single and double; each letter
// also with a space after it, so that runs of letters spelled out are common.
const LETTERS = ['з', 'а', 'Ж', 'λ', '中', '한', 'é', 'ß', '\u{10400}', '\u{1D49C}', 'a', 'Z'];
const OTHERS = ['\u0301', '7', '·', '—', '\u{1F600}', '\uD800', '.', ' ', '  ', '\n'];
const PIECES = [...LETTERS, ...LETTERS.map((letter) => `${letter} `), ...OTHERS];

describe('spacedOut', () => {
  it('finds what searching the whole text found, on random texts of those pieces', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(spacedOut(text)).toBe(searchedWhole(text));
      }),
      { numRuns: 20_000 },
    );
  });

  it.each([
    ['Russian spelled out', 'ignore з а б у д ь всё', true],
    ['after a letter: the run starts at the second', 'жз а б у д', true],
    ['three letters only', 'з а б', false],
    ['Latin letters are the spacing step’s', 'i g n o r e', false],
    ['a letter glued to the last', 'з а б уд', false],
    ['middle dots are not letters', '· · · · ·', false],
  ])('%s', (_name, text, expected) => {
    expect(spacedOut(text)).toBe(expected);
    expect(searchedWhole(text)).toBe(expected);
  });
});
