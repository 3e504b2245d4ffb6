const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
// Per UTF-16 code, once read: 0 not yet, 1 a letter or digit, 2 neither. A test of the pattern
// at every character outside ASCII cost a tenth of the classifier on text with a few accents.
const CODES = new Uint8Array(0x10000);

/**
 * Whether a code point outside ASCII is a letter or digit of any script. Points outside the
 * BMP are tested one by one (rare: after NFKC almost none remain); the rest from a table.
 */
export function isLetterOrDigit(point: number): boolean {
  if (point > 0xffff) return LETTER_OR_DIGIT.test(String.fromCodePoint(point));
  let known = CODES[point] ?? 0;
  if (known === 0) {
    known = LETTER_OR_DIGIT.test(String.fromCharCode(point)) ? 1 : 2;
    CODES[point] = known;
  }
  return known === 1;
}
