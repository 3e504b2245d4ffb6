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
// Tokens of letters, digits, "@" and "$" holding a stand-in; the callback keeps those of three
// or more characters with a letter. A pattern that asked for the letter itself, with a
// look-ahead at the start of every token, cost a long message more than the rest of this file.
const TOKEN = /(?<![\p{L}\p{N}@$])[\p{L}\p{N}@$]*[013457@$][\p{L}\p{N}@$]*/gu;
const HAS_LETTER = /\p{L}/u;
// A letter next to a stand-in: without one there is no leetspeak token to read. Looked for
// from the stand-in, the rarer character: from the letter it cost four times as long.
const HAS_LEET = /[013457@$](?:(?<=[a-z].)|(?=[a-z]))/;
// Product names, versions and units ("gpt4", "sha256", "5g", "10th") are not leetspeak.
const ORDINARY = /^(?:\p{L}+\d+|\d+(?:st|nd|rd|th|[dgkmxp]|px|kb|mb|gb|ms))$/u;

// The whitespace-delimited pieces that hold a stand-in. A token never holds whitespace, so only
// these are searched for tokens: over a whole 4 KB message in another script, TOKEN's letter
// classes cost as much as the rest of the normalisation. Each piece is read from its start only
// (the look-behind), so a long piece without a stand-in is passed over once.
const PIECE = /(?<!\S)\S*[013457@$]\S*/g;

function readToken(token: string): string {
  if (token.length < 3 || !HAS_LETTER.test(token) || ORDINARY.test(token)) return token;
  return token.replace(/[013457@$]/g, (character) => LEET[character] ?? character);
}

/** Reads digit-for-letter spellings ("1gn0r3", "h4ck") as the letters they stand for. */
export function undoLeetspeak(text: string): string {
  if (!HAS_LEET.test(text)) return text;
  return text.replace(PIECE, (piece) => piece.replace(TOKEN, readToken));
}
