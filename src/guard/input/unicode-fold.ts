import {
  blanksAsSpaces,
  decodeTagCharacters,
  stripCombiningMarks,
  stripInvisible,
  stripLoneSurrogates,
  stripStackedMarks,
} from './invisible.js';

/** What a UTF-16 code unit may need of the steps below; the bits of {@link unicodeNeeds}. */
export const NEEDS = {
  /** Half of a pair: tag characters, lone halves, and marks or invisibles outside the BMP. */
  surrogate: 1,
  blankLetter: 2,
  invisible: 4,
  /** A mark, or a character whose NFKC form holds one (`¨` becomes a space and U+0308). */
  mark: 8,
} as const;

// Per code unit, once worked out: 0 not yet, else WORKED_OUT with the unit's NEEDS bits.
const WORKED_OUT = 128;
const UNITS = new Uint8Array(0x10000);

/**
 * The steps' own verdict on one character, so that the bits cannot drift from what the steps
 * do: a bit is set when its step would change the character.
 */
function workOut(code: number): number {
  if (code >= 0xd800 && code <= 0xdfff) return WORKED_OUT | NEEDS.surrogate;
  const char = String.fromCharCode(code);
  let needs = WORKED_OUT;
  if (blanksAsSpaces(char) !== char) needs |= NEEDS.blankLetter;
  if (stripInvisible(char) !== char) needs |= NEEDS.invisible;
  const compatible = char.normalize('NFKC');
  if (stripStackedMarks(char.repeat(4)) === '' || stripCombiningMarks(compatible) !== compatible) {
    needs |= NEEDS.mark;
  }
  return needs;
}

/**
 * Which of the Unicode steps the text's characters may need, as {@link NEEDS} bits. One pass
 * with a table: most text outside ASCII (accented Latin, Cyrillic, CJK) needs none of the mark,
 * invisible or surrogate steps, and their Unicode-property searches over 4 KB cost 70 to 130 µs
 * where this costs a few.
 */
export function unicodeNeeds(text: string): number {
  let needs = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) continue;
    let unit = UNITS[code] ?? 0;
    if (unit === 0) {
      unit = workOut(code);
      UNITS[code] = unit;
    }
    needs |= unit;
  }
  return needs & ~WORKED_OUT;
}

/**
 * The steps only text outside ASCII needs, in their order: Unicode tags decoded, blank-looking
 * letters read as spaces, invisible characters and lone surrogates dropped, stacked marks
 * dropped, NFKC, then the non-spacing marks NFKC left. A step whose characters the text does
 * not hold is skipped (it would change nothing); `changed` hears the name of each step that
 * changed the text.
 */
export function foldUnicode(raw: string, changed: (step: string) => void): string {
  const needs = unicodeNeeds(raw);
  const surrogate = (needs & NEEDS.surrogate) !== 0;
  const marks = surrogate || (needs & NEEDS.mark) !== 0;
  let text = raw;
  const apply = (name: string, change: (value: string) => string) => {
    const next = change(text);
    if (next !== text) changed(name);
    text = next;
  };
  if (surrogate) apply('unicode-tags', decodeTagCharacters);
  if ((needs & NEEDS.blankLetter) !== 0) apply('blank-letters', blanksAsSpaces);
  if (surrogate || (needs & NEEDS.invisible) !== 0) apply('zero-width', stripInvisible);
  if (surrogate) apply('lone-surrogates', stripLoneSurrogates);
  if (marks) apply('combining-marks', stripStackedMarks);
  apply('nfkc', (value) => value.normalize('NFKC'));
  if (marks) apply('combining-marks', stripCombiningMarks);
  return text;
}
