/**
 * Folding of single characters, shared by the canary scan and the word reader. Both work one
 * code point at a time so that a verdict never depends on where the stream was split: NFKD plus
 * dropping combining marks gives the same letters whether an accent arrived precomposed or not,
 * and compatibility forms (full-width letters, ligatures) fold to plain ones.
 */

/** Folded letters and digits of a character (lower case); `''` if it joins a word invisibly. */
export type FoldedChar = string | null;

const NON_ASCII_CACHE = new Map<number, FoldedChar>();
const CACHE_LIMIT = 4_096;
const MARK = /\p{M}/gu;
const INVISIBLE = /^[\p{M}\p{Cf}'\u2019]+$/u;
const WORD_CHAR = /^[\p{L}\p{N}]+$/u;
/** Folds of the ASCII characters, looked up rather than computed on the hot path. */
const ASCII: readonly FoldedChar[] = Array.from({ length: 128 }, (_, code) => foldAscii(code));

/**
 * Folds one code point: its lower-case letters and digits, `''` for a character that should be
 * ignored inside a word (zero-width and format characters, combining marks, apostrophes), or
 * `null` for a separator (space, punctuation, symbols, lone surrogates).
 */
export function foldChar(code: number): FoldedChar {
  if (code < 128) return ASCII[code] ?? null;
  const cached = NON_ASCII_CACHE.get(code);
  if (cached !== undefined) return cached;
  const folded = foldUnicode(String.fromCodePoint(code));
  if (NON_ASCII_CACHE.size < CACHE_LIMIT) NON_ASCII_CACHE.set(code, folded);
  return folded;
}

function foldAscii(code: number): FoldedChar {
  if (code >= 97 && code <= 122) return String.fromCharCode(code);
  if (code >= 48 && code <= 57) return String.fromCharCode(code);
  if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
  return code === 39 ? '' : null;
}

function foldUnicode(char: string): FoldedChar {
  if (INVISIBLE.test(char)) return '';
  const letters = char.normalize('NFKD').replace(MARK, '').toLowerCase();
  return WORD_CHAR.test(letters) ? letters : null;
}

/** Whether a folded character is one plain ASCII letter or digit. */
export function isPlain(folded: string): boolean {
  for (let index = 0; index < folded.length; index++) {
    const code = folded.charCodeAt(index);
    if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57))) return false;
  }
  return true;
}

/**
 * Calls `visit` with each code point of `text` and its offset (from `base`). A lone surrogate is
 * passed as itself, and folds to a separator.
 */
export function forEachCodePoint(
  text: string,
  base: number,
  visit: (code: number, offset: number) => boolean,
): void {
  for (let index = 0; index < text.length;) {
    const code = text.codePointAt(index) ?? 0;
    if (visit(code, base + index)) return;
    index += code > 0xffff ? 2 : 1;
  }
}
