import { isLetterOrDigit } from './letter-codes.js';
import { segmentWords } from './segment.js';

// A run of four or more single letters or digits split by the same few separator characters:
// "i g n o r e", "i.g.n.o.r.e", "i-g-n-o-r-e". Four keeps initials such as "U.S.A." intact.
const SPACED_RUN =
  /(?<![\p{L}\p{N}])[\p{L}\p{N}](?:[ .\-_*·|/,+~:]{1,3}[\p{L}\p{N}]){3,}(?![\p{L}\p{N}])/gu;
// Four single ASCII letters or digits in a row: a cheap test that lets most text skip the
// full pattern. Letters from other scripts were folded to Latin before this runs.
const MAYBE_SPACED =
  /(?:^|[^a-z0-9])[a-z0-9][ .\-_*·|/,+~:]{1,3}[a-z0-9][ .\-_*·|/,+~:]{1,3}[a-z0-9][ .\-_*·|/,+~:]{1,3}[a-z0-9](?![a-z0-9])/;
const SEPARATOR = /[^\p{L}\p{N}]+/gu;
// Shorter stretches are left alone: they are single words more often than not.
const LONG_WORD = /\p{L}{5,}/gu;

/** The separator used most often in a run: the one between letters of the same word. */
function commonest(separators: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const separator of separators) counts.set(separator, (counts.get(separator) ?? 0) + 1);
  let best = '';
  let bestCount = 0;
  for (const [separator, count] of counts) {
    if (count > bestCount) [best, bestCount] = [separator, count];
  }
  return best;
}

function collapseRun(run: string): string {
  const letters = run.split(SEPARATOR);
  const separators = run.match(SEPARATOR) ?? [];
  const inWord = commonest(separators);
  let joined = letters[0] ?? '';
  for (const [index, separator] of separators.entries()) {
    joined += (separator === inWord ? '' : ' ') + (letters[index + 1] ?? '');
  }
  return joined.replace(LONG_WORD, (word) => segmentWords(word));
}

/**
 * Joins letters spelled out one at a time. When a run mixes separators (one space inside a
 * word, three between words), the rarer ones become word breaks; what is left without breaks
 * is split into the likeliest words of a common-word list.
 */
export function collapseSpacedLetters(text: string): string {
  if (!MAYBE_SPACED.test(text)) return text;
  return text.replace(SPACED_RUN, collapseRun);
}

const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
};
const HAS_LETTER = /\p{L}/u;
// A letter next to a stand-in: without one there is no leetspeak token to read. Looked for
// from the stand-in, the rarer character: from the letter it cost four times as long.
const HAS_LEET = /[013457@$](?:(?<=[a-z].)|(?=[a-z]))/;
// Product names, versions and units ("gpt4", "sha256", "5g", "10th") are not leetspeak.
const ORDINARY = /^(?:\p{L}+\d+|\d+(?:st|nd|rd|th|[dgkmxp]|px|kb|mb|gb|ms))$/u;
const STAND_IN = /[013457@$]/g;

/** Whether a code point belongs in a token: a letter or digit of any script, `@` or `$`. */
function inToken(point: number): boolean {
  if (point < 0x80) {
    return (
      (point >= 0x61 && point <= 0x7a) ||
      (point >= 0x41 && point <= 0x5a) ||
      (point >= 0x30 && point <= 0x39) ||
      point === 0x40 ||
      point === 0x24
    );
  }
  return isLetterOrDigit(point);
}

/** Where the token holding `index` starts, reading code points back (a pair is one). */
function tokenStart(text: string, index: number): number {
  let at = index;
  while (at > 0) {
    const before = text.codePointAt(at - 1) ?? 0;
    // A low half read alone: the point is its pair's, when a high half comes before it.
    if (before >= 0xdc00 && before <= 0xdfff && at > 1) {
      const pair = text.codePointAt(at - 2) ?? 0;
      if (pair > 0xffff) {
        if (!inToken(pair)) break;
        at -= 2;
        continue;
      }
    }
    if (before > 0xffff || !inToken(before)) break;
    at -= 1;
  }
  return at;
}

/** Where the token holding the unit before `index` ends. */
function tokenEnd(text: string, index: number): number {
  let at = index;
  while (at < text.length) {
    const point = text.codePointAt(at) ?? 0;
    if (!inToken(point)) break;
    at += point > 0xffff ? 2 : 1;
  }
  return at;
}

function readToken(token: string): string {
  if (token.length < 3 || !HAS_LETTER.test(token) || ORDINARY.test(token)) return token;
  return token.replace(/[013457@$]/g, (character) => LEET[character] ?? character);
}

/**
 * Reads digit-for-letter spellings ("1gn0r3", "h4ck") as the letters they stand for: every
 * token (a run of letters and digits of any script, `@` and `$`) that holds a stand-in. Tokens
 * are found from their stand-ins, which are rare in prose: a search for them over the whole
 * text, with letter classes of every script, cost a message in another script as much as the
 * rest of its normalisation.
 */
export function undoLeetspeak(text: string): string {
  if (!HAS_LEET.test(text)) return text;
  let read = '';
  let copied = 0;
  STAND_IN.lastIndex = 0;
  for (let found = STAND_IN.exec(text); found !== null; found = STAND_IN.exec(text)) {
    const start = tokenStart(text, found.index);
    const end = tokenEnd(text, found.index + 1);
    STAND_IN.lastIndex = end;
    const token = text.slice(start, end);
    const letters = readToken(token);
    if (letters === token) continue;
    read += text.slice(copied, start) + letters;
    copied = end;
  }
  return copied === 0 ? text : read + text.slice(copied);
}
