// Accents put on the letters of an English attack (`ígnóré àll prévíóús ínstrúctíóns`) hide it
// from rules written in plain letters, and a model reads through them. The rules read a copy of
// the text with those letters made plain: a Latin letter whose decomposition is an ASCII
// letter and diacritical marks becomes that letter, and a diacritical mark on its own goes.
// Nothing else changes: `ø`, `ß`, `ı`, Cyrillic, Vietnamese `đ` and every other script stay as
// written, and so do the rules, since in French, German, Portuguese or Vietnamese an accent
// tells words apart (`é` "is" and `e` "and", `böse` and `Bose`, `quên` "forget" and `quen`).

/** The copy the rules read, and where each of its characters is in the text as written. */
export interface Folding {
  text: string;
  /** Index as written of each character of `text`; absent when they line up one for one. */
  at?: Int32Array;
}

// The blocks of combining diacritical marks (the ones stacked in "zalgo" text too).
function isDiacritic(code: number): boolean {
  return (
    (code >= 0x0300 && code <= 0x036f) ||
    (code >= 0x1ab0 && code <= 0x1aff) ||
    (code >= 0x1dc0 && code <= 0x1dff) ||
    (code >= 0x20d0 && code <= 0x20ff) ||
    (code >= 0xfe20 && code <= 0xfe2f)
  );
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

// Per UTF-16 code, once worked out: not yet, kept, dropped, or (any larger value) the ASCII
// letter it becomes. ASCII letters are all above DROP.
const UNKNOWN = 0;
const KEEP = 1;
const DROP = 2;
const FOLDS = new Uint8Array(0x10000);

function workOut(code: number): number {
  if (isDiacritic(code)) return DROP;
  const decomposed = String.fromCharCode(code).normalize('NFD');
  const base = decomposed.charCodeAt(0);
  if (decomposed.length < 2 || !isAsciiLetter(base)) return KEEP;
  for (let index = 1; index < decomposed.length; index++) {
    if (!isDiacritic(decomposed.charCodeAt(index))) return KEEP;
  }
  return base;
}

function foldOf(code: number): number {
  let fold = FOLDS[code] ?? KEEP;
  if (fold === UNKNOWN) {
    fold = workOut(code);
    FOLDS[code] = fold;
  }
  return fold;
}

// No letter below this has a mark, so text without one is left as it is: most text is ASCII.
const MAY_FOLD = /[\u00C0-\uFFFF]/;
const UTF16 = new TextDecoder('utf-16le');

/** The text with its Latin letters' diacritics taken off; the text itself when it has none. */
export function foldLatin(written: string): Folding {
  if (!MAY_FOLD.test(written)) return { text: written };
  const length = written.length;
  let codes: Uint16Array | undefined;
  let at: Int32Array | undefined;
  let size = 0;
  for (let index = 0; index < length; index++) {
    const code = written.charCodeAt(index);
    const fold = code < 0xc0 ? KEEP : foldOf(code);
    if (codes === undefined) {
      if (fold === KEEP) continue;
      // The first change: everything before it is copied as it is.
      codes = new Uint16Array(length);
      for (let before = 0; before < index; before++) codes[before] = written.charCodeAt(before);
      size = index;
    }
    if (fold === DROP) {
      // From the first mark dropped on, characters no longer line up one for one.
      if (at === undefined) {
        at = new Int32Array(length);
        for (let before = 0; before < size; before++) at[before] = before;
      }
      continue;
    }
    if (at !== undefined) at[size] = index;
    codes[size++] = fold === KEEP ? code : fold;
  }
  if (codes === undefined) return { text: written };
  const text = UTF16.decode(codes.subarray(0, size));
  return at === undefined ? { text } : { text, at: at.subarray(0, size) };
}

/** Where `text.slice(start, end)` of a folding is in the text as written. */
export function writtenSpan(folding: Folding, start: number, end: number): [number, number] {
  if (folding.at === undefined || end <= start) return [start, end];
  return [folding.at[start] ?? start, (folding.at[end - 1] ?? end - 1) + 1];
}
