/**
 * The credential words every credential-key gate (`KEY_GATE` in `key-patterns.ts`) contains,
 * and two ways to find them: a regular expression for long stretches, and a table of their
 * first two characters for the short ones most gate triggers ask about.
 */

const WORDS = ['pass', 'pwd', 'secret', 'token', 'key', 'crumb', 'credential', 'sonar', 'pat'];
const MORE_WORDS = ['reporter', 'postmark', 'unseal', 'account', 'bearer', 'basic', '-u', '--user'];
const USER_WORDS = ['user', 'login', 'auth'];
export const STEM_WORDS: readonly string[] = [...WORDS, ...MORE_WORDS, ...USER_WORDS];

/** The longest credential word. */
export const STEM_MAX = Math.max(...STEM_WORDS.map((word) => word.length));

// ASCII lower-casing: words match ignoring ASCII case only, as an `i` flag without `u` does.
const LOWER = new Uint8Array(128);
for (let code = 0; code < 128; code++) LOWER[code] = code >= 65 && code <= 90 ? code + 32 : code;

// Per pair of lower-cased first characters (`first * 128 + second`): 1 + the index in PAIRS of
// the words that start with it, or 0. Most characters of prose start no pair.
const PAIR_INDEX = new Uint8Array(128 * 128);
const PAIRS: string[][] = [];
for (const word of STEM_WORDS) {
  const pair = word.charCodeAt(0) * 128 + word.charCodeAt(1);
  if (PAIR_INDEX[pair] === 0) PAIR_INDEX[pair] = PAIRS.push([]);
  PAIRS[(PAIR_INDEX[pair] ?? 1) - 1]?.push(word);
}

/** Whether lower-case `word` is at `at` in `text`, ignoring ASCII case, past its first pair. */
function restAt(text: string, at: number, word: string): boolean {
  for (let index = 2; index < word.length; index++) {
    const code = text.charCodeAt(at + index);
    if (code >= 128 || LOWER[code] !== word.charCodeAt(index)) return false;
  }
  return true;
}

/**
 * The length of the credential word at `at` that lies whole before `end`, or 0. No word is the
 * start of another, so at most one matches at a place.
 */
function wordAt(text: string, at: number, end: number): number {
  const first = text.charCodeAt(at);
  const second = text.charCodeAt(at + 1);
  if (first >= 128 || second >= 128) return 0;
  const pair = PAIR_INDEX[(LOWER[first] ?? 0) * 128 + (LOWER[second] ?? 0)] ?? 0;
  if (pair === 0) return 0;
  for (const word of PAIRS[pair - 1] ?? []) {
    if (at + word.length <= end && restAt(text, at, word)) return word.length;
  }
  return 0;
}

const STEMS = new RegExp(STEM_WORDS.join('|'), 'gi');

/**
 * Calls `visit` with the index just past each credential word that lies whole in
 * `text.slice(start, end)`, in order. Stretches searched this way run to a hundred characters
 * and more, where one regular expression call beats a loop in script.
 */
export function eachStemEnd(
  text: string,
  start: number,
  end: number,
  visit: (end: number) => void,
): void {
  const stretch = text.slice(start, end);
  STEMS.lastIndex = 0;
  for (let match = STEMS.exec(stretch); match !== null; match = STEMS.exec(stretch)) {
    visit(start + match.index + match[0].length);
    // Words overlap (`--user`, `-u`): resume one character on so none is missed.
    STEMS.lastIndex = match.index + 1;
  }
}

/**
 * Whether a credential word lies whole in `text.slice(start, end)`: what {@link eachStemEnd}
 * would find, asked of the short stretches before a trigger, where a loop with a table and no
 * slice beats a regular expression call.
 */
export function hasStemWithin(text: string, start: number, end: number): boolean {
  const last = Math.min(end, text.length);
  for (let at = Math.max(0, start); at < last - 1; at++)
    if (wordAt(text, at, last) > 0) return true;
  return false;
}
