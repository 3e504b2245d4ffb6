import { foldQuotes, mapConfusables } from './confusables.js';
import { decodeEncodedSpans } from './encoded-spans.js';
import { decodeInlineEscapes } from './inline-escapes.js';
import { decodeMorse } from './morse.js';
import { decodeRot13 } from './rot13.js';
import { collapseSpacedLetters, undoLeetspeak } from './spacing.js';
import { foldUnicode } from './unicode-fold.js';

/** The text a detector reads, the normalisations that changed it, and decoded payloads. */
export interface NormalisedText {
  /** Lower-cased, folded, de-obfuscated text; runs of spaces and of line breaks made single. */
  text: string;
  /** Names of the steps that changed the text, e.g. `zero-width`, `base64`, `truncated`. */
  transforms: string[];
  /** Normalised text of every payload decoded from base64, hex, ROT13 or Morse, nested too. */
  decoded: string[];
  /** Other readings of the text itself: its words' joins read as spaces (see `joinedWords`). */
  views: string[];
  /**
   * The text and its decoded payloads with their Cyrillic letters as written, those in that
   * script that the homoglyph fold changed: read by the rules marked `native` only (see
   * `nativeReading`).
   */
  natives: NativeReading[];
}

/** A reading of the text, or of a payload decoded from it, with its letters as written. */
export interface NativeReading {
  text: string;
  /** True for a payload's reading. */
  decoded: boolean;
}

// Past this many UTF-16 units only the head and the tail are read: a message's instructions
// sit at its ends far more often than in its middle, and the cost of a check must not grow
// with whatever size an attacker chooses.
export const MAX_INPUT = 64 * 1024;
const HEAD = 48 * 1024;
/** How many encodings deep a payload is unwrapped. */
export const MAX_DEPTH = 3;
/** How many characters all decoded payloads of one check may add up to. */
export const MAX_DECODED = 32 * 1024;

const CIPHERS: readonly (readonly [string, (text: string) => string | undefined])[] = [
  ['rot13', decodeRot13],
  ['morse', decodeMorse],
];

interface LayerState {
  transforms: Set<string>;
  decoded: string[];
  budget: number;
  natives: NativeReading[];
}

function step(state: LayerState, name: string, text: string, change: (value: string) => string) {
  const next = change(text);
  if (next !== text) state.transforms.add(name);
  return next;
}

function bound(text: string): string {
  if (text.length <= MAX_INPUT) return text;
  return `${text.slice(0, HEAD)}\n${text.slice(text.length - (MAX_INPUT - HEAD))}`;
}

function unwrapPayloads(text: string, depth: number, state: LayerState): void {
  if (depth >= MAX_DEPTH || state.budget <= 0) return;
  for (const span of decodeEncodedSpans(text, state.budget)) {
    state.budget -= span.text.length;
    state.transforms.add(span.encoding);
    state.decoded.push(normaliseLayer(span.text, depth + 1, state));
  }
  for (const [name, decode] of CIPHERS) {
    const decoded = state.budget > 0 ? decode(text)?.slice(0, state.budget) : undefined;
    if (decoded === undefined) continue;
    state.budget -= decoded.length;
    state.transforms.add(name);
    state.decoded.push(normaliseLayer(decoded, depth + 1, state));
  }
}

const NON_ASCII = /[\u0080-\uFFFF]/;
// Anything but single spaces between words: most short messages have none of it.
const UNEVEN_SPACE = /[^\S ]| {2}/;
// Whitespace other than line breaks (`[^\S\n]`), spelled out so that a single space, which
// needs no change, is not matched: replacing every space with itself cost a tenth of a check.
const BLANK = String.raw`\t\v\f\r\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000\uFEFF`;
const UNEVEN_BLANKS = new RegExp(`[ ${BLANK}]{2,}|[${BLANK}]`, 'g');
const LINE_BREAK_RUN = / ?\n\s*/g;

/** Runs of blanks made one space and runs of line breaks one break, trimmed. */
function collapseBlanks(text: string): string {
  if (!UNEVEN_SPACE.test(text)) return text.trim();
  return text.replace(UNEVEN_BLANKS, ' ').replace(LINE_BREAK_RUN, '\n').trim();
}

function normaliseLayer(raw: string, depth: number, state: LayerState): string {
  let text = step(state, 'truncated', raw, bound);
  const ascii = !NON_ASCII.test(text);
  // The steps only text outside ASCII needs; plain ASCII text skips them all.
  if (!ascii) text = foldUnicode(text, (name) => state.transforms.add(name));
  const inline = decodeInlineEscapes(text);
  for (const name of inline.transforms) state.transforms.add(name);
  text = inline.text;
  // Payloads are found before case folding: base64 and hex are case-sensitive.
  unwrapPayloads(text, depth, state);
  if (ascii) text = text.toLowerCase();
  else {
    const unfolded = text;
    text = step(state, 'homoglyph', text, mapConfusables).toLowerCase();
    const native = nativeReading(unfolded, text);
    if (native !== undefined) state.natives.push({ text: native, decoded: depth > 0 });
  }
  if (!ascii) text = foldQuotes(text);
  // Leetspeak first: single digits in spaced-out text are then left as they are, so spacing
  // a message out does not change how its numbers read.
  text = step(state, 'leetspeak', text, undoLeetspeak);
  text = step(state, 'spaced', text, collapseSpacedLetters);
  // Line breaks stay: fake chat turns ("system:") are recognised at the start of a line.
  return collapseBlanks(text);
}

/**
 * Normalises text for injection detection: decodes Unicode tag characters, strips invisible
 * characters, applies NFKC, drops combining marks, decodes inline escapes, unwraps base64 /
 * hex / ROT13 / Morse payloads (at most {@link MAX_DEPTH} deep and {@link MAX_DECODED} characters in
 * all), folds look-alike letters to Latin, rejoins spaced-out letters and reads leetspeak.
 */
export function normaliseForDetection(text: string): NormalisedText {
  const state: LayerState = {
    transforms: new Set(),
    decoded: [],
    budget: MAX_DECODED,
    natives: [],
  };
  const normalised = normaliseLayer(text, 0, state);
  const views: string[] = [];
  const split = joinedWords(bound(text));
  if (split !== undefined) {
    state.transforms.add('joined-words');
    // Its payloads, if any, were unwrapped from the text already.
    views.push(normaliseLayer(split, MAX_DEPTH, state));
  }
  return {
    text: normalised,
    transforms: [...state.transforms],
    decoded: state.decoded,
    views,
    natives: state.natives,
  };
}

// A Latin letter touching a Cyrillic one: a look-alike planted in a Russian word (`зaбудь` with a
// Latin `a`), which the main reading folds the other way and no rule reads. Tested first, so
// text without one (nearly all Russian) is not split into words.
const MIXED_SCRIPTS = /\p{Script=Cyrillic}\p{M}*[a-z]|[a-z]\p{M}*\p{Script=Cyrillic}/u;
const WORD = /[\p{L}\p{M}]+/gu;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const LATIN = /[a-z]/;
// Lower-case Latin letters and the Cyrillic letters they pass for (`h` and `b` as `Н` and `В`).
const LATIN_TO_CYRILLIC: Readonly<Record<string, string>> = {
  a: 'а',
  b: 'в',
  c: 'с',
  e: 'е',
  h: 'н',
  i: 'і',
  k: 'к',
  m: 'м',
  o: 'о',
  p: 'р',
  t: 'т',
  x: 'х',
  y: 'у',
};

/** The Latin look-alikes of the text's mixed words (Latin and Cyrillic) read as Cyrillic. */
function unmaskLatin(text: string): string {
  // Most Cyrillic text has no Latin letter at all, and the script search is slow over 4 KB.
  if (!LATIN.test(text) || !MIXED_SCRIPTS.test(text)) return text;
  return text.replace(WORD, (word) =>
    LATIN.test(word) && CYRILLIC.test(word)
      ? word.replace(/[a-z]/g, (letter) => LATIN_TO_CYRILLIC[letter] ?? letter)
      : word,
  );
}

// Cyrillic letters with no Latin look-alike. A text that has them is written in Cyrillic, not
// disguised with it: Russian uses them in nearly every word, while look-alike letters planted
// in English text are all in the confusables table.
const OWN_CYRILLIC = /[бгджзийлпфцчшщъыьэюяґєўБГДЖЗИЙЛПФЦЧШЩЪЫЬЭЮЯҐЄЎ]/;

/**
 * The text as written, lower-cased, when the homoglyph fold changed a text written in
 * Cyrillic: the fold, there to unmask `іgnоrе` in English, turns Russian into a mix of scripts
 * no rule can read (`забудьте все` reads `зaбyдьte bce`). The main reading keeps the fold, so
 * look-alikes planted in Cyrillic text are still unmasked.
 */
function nativeReading(unfolded: string, folded: string): string | undefined {
  if (folded === unfolded.toLowerCase() || !OWN_CYRILLIC.test(unfolded)) return undefined;
  const native = unmaskLatin(foldQuotes(unfolded.toLowerCase()));
  return collapseBlanks(native);
}

// Four or more words joined by zero-width characters, full stops, dashes or plus signs.
// Searched for only in tokens where three joins with a word between each show one may be:
// the search costs a twentieth of a check on a text, the hint a thousandth.
const JOINS = String.raw`[._+\-\u00AD\u200B-\u200F\u2060-\u2064\uFEFF]`;
// Letters of any script, roughly: the Basic Multilingual Plane without General Punctuation
// (where the zero-width joins are), the surrogates and the byte-order mark.
const LETTERS = String.raw`[A-Za-z\u00C0-\u1FFF\u2C00-\uD7FF\uF900-\uFEFE\uFF00-\uFFEF]`;
// A join, a word, joins, a word and a join: the first run of joins is read from its last
// character, since a hint that began with `J+` went back over every join of a long run of them
// (64 KB of dots took seconds).
const JOINED_HINT = new RegExp(`${JOINS}${LETTERS}+${JOINS}+${LETTERS}+${JOINS}`);
const JOINED_HINTS = new RegExp(JOINED_HINT.source, 'g');
const JOINED_RUN = new RegExp(`(?<!${LETTERS})${LETTERS}+(?:${JOINS}+${LETTERS}+){3,}`, 'g');
const JOIN = new RegExp(`${JOINS}+`, 'g');
// A token that names a place rather than says something: a path, a URL, a branch, a file.
const PLACE = /[/\\]|\.[A-Za-z0-9]{1,4}$/;

/**
 * The runs of words joined instead of spaced, with their joins read as spaces, one a line;
 * undefined when the text has none. Words joined by zero-width characters
 * (`ignore\u200ball\u200bprevious`) or by punctuation (`ignore.all.previous.instructions`)
 * read as one long token once the joins are stripped, while a reader still sees the words: the
 * detector reads these runs as a view of their own. Only the runs, not the whole text again:
 * ordinary prose has a few (`state-of-the-art`) and must not pay for a second reading. Runs in
 * a path, a URL or a file name (`/blog/how-to-ignore-previous-instructions`) are left out:
 * there the words name a thing rather than tell the model anything.
 */
function joinedWords(text: string): string | undefined {
  if (!JOINED_HINT.test(text)) return undefined;
  // A run has no spaces in it, so only the tokens that show a hint are searched: the search
  // over the whole text cost a long message a fifth of its normalisation.
  const runs: string[] = [];
  JOINED_HINTS.lastIndex = 0;
  for (let hint = JOINED_HINTS.exec(text); hint !== null; hint = JOINED_HINTS.exec(text)) {
    const token = tokenAround(text, hint.index, hint.index + hint[0].length);
    JOINED_HINTS.lastIndex = token.end;
    if (PLACE.test(token.text)) continue;
    for (const run of token.text.matchAll(JOINED_RUN)) runs.push(run[0].replace(JOIN, ' '));
  }
  return runs.length === 0 ? undefined : runs.join('\n');
}

// Whitespace that is neither a join (the byte-order mark) nor counted among the letters (the
// ideographic space and the Ogham space mark, in LETTERS' ranges): a run may hold those.
const SPACE = /[\t\n\v\f\r \u00A0\u2000-\u200A\u2028\u2029\u202F\u205F]/;

/** The whitespace-delimited token of `text` that holds `text.slice(start, end)`. */
function tokenAround(text: string, start: number, end: number) {
  let from = start;
  let to = end;
  while (from > 0 && !SPACE.test(text.charAt(from - 1))) from--;
  while (to < text.length && !SPACE.test(text.charAt(to))) to++;
  return { text: text.slice(from, to), end: to };
}
