/**
 * Letters outside ASCII spelled out one at a time (`з а б у д ь`), which the spacing step, reading
 * only Latin letters back into words, leaves as they are: the detector then also reads the
 * text's compact form.
 */
const NON_ASCII = /[\u0080-\uFFFF]/;
// Four or more letters outside ASCII, each alone between spaces: Russian, Chinese or Japanese
// spelled out a letter at a time. The spacing step reads only Latin letters back into words.
export const SPACED_OTHER = /(?<!\p{L})[^\P{L}a-zA-Z](?: [^\P{L}a-zA-Z]){3,}(?!\p{L})/u;

// What SPACED_OTHER needs at the least, without its look-arounds and Unicode classes: a check of
// a Russian message with it alone cost a tenth of the whole.
const SPACED_HINTS = /[\u0080-\uffff] [\u0080-\uffff] [\u0080-\uffff] [\u0080-\uffff]/g;
// SPACED_OTHER tried at one place only.
const SPACED_AT = new RegExp(SPACED_OTHER.source, 'uy');
const SURROGATE = /[\ud800-\udfff]/;

/**
 * Whether SPACED_OTHER matches in a text where SPACED_HINTS does. Searched whole, it cost about
 * 70 µs on 4 KB of mixed scripts (its look-behind tried at every place), and most texts where
 * the hint is found have no match; tried only where the hint is (every such place, overlapping),
 * it costs a few. A match whose letters are all in the BMP starts where the hint does; one with
 * a letter outside it (two code units, which the hint does not read as one) is looked for with
 * the whole search, as before.
 */
export function spacedOut(text: string): boolean {
  if (!NON_ASCII.test(text)) return false;
  SPACED_HINTS.lastIndex = 0;
  let hint = SPACED_HINTS.exec(text);
  if (hint === null) return false;
  for (; hint !== null; hint = SPACED_HINTS.exec(text)) {
    SPACED_AT.lastIndex = hint.index;
    if (SPACED_AT.test(text)) return true;
    SPACED_HINTS.lastIndex = hint.index + 1;
  }
  return SURROGATE.test(text) && SPACED_OTHER.test(text);
}
