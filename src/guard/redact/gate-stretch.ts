import { isBreak } from './profile.js';

/**
 * Gate triggers and the stretch of text each one says its credential word must lie in (see
 * `GateTracker`). Every gate form ends in `=`, `:`, a quote, a flag's dash and name, `(` after
 * a call name or the word `pass`; the word lies in the name before an operator, in the flag
 * after a dash, and so on. Read from the held text alone where that is enough, so that most
 * triggers are settled without the released text before it.
 */

// `login('user', '` and `'API_KEY', '`: the word is at most this far before the quote.
const LIST_REACH = 130;
// `NetworkCredential(`: the word ends this close before the bracket.
const CALL_REACH = 12;

/**
 * Length of the gate trigger at `at`, or 0: one of `=:"'` and the backtick, a dash before a
 * flag character, `l(` or `pass` (any case), as the regular expression
 * `/[=:"'`]|-[\w.-]|l\(|pass/gi` matches there. Successive triggers are found as successive
 * matches of that expression would be: the search resumes after a trigger's end.
 */
export function triggerLength(text: string, at: number): number {
  const code = text.charCodeAt(at);
  if (code === 61 || code === 58 || code === 34 || code === 39 || code === 96) return 1;
  // `[\w.-]` after a dash is a name character.
  if (code === 45) return isNameCode(text.charCodeAt(at + 1)) ? 2 : 0;
  const lower = code | 32;
  if (lower === 108) return text.charCodeAt(at + 1) === 40 ? 2 : 0;
  if (lower !== 112) return 0;
  const ass =
    (text.charCodeAt(at + 1) | 32) === 97 &&
    (text.charCodeAt(at + 2) | 32) === 115 &&
    (text.charCodeAt(at + 3) | 32) === 115;
  return ass ? 4 : 0;
}

/** The stretch of {@link wordStretch} when it cannot be told from the text it was given. */
export const BEFORE_TEXT = null;

/**
 * Where the credential word of a gate completed by the trigger at `at` may lie, or undefined
 * when no gate ends there. Before an operator or a quote: the name before it (gates allow
 * sixteen spaces, a quote and a backslash between). After a dash: the flag name.
 *
 * With `open`, `text` is the end of a longer text: when the answer depends on what comes before
 * `text[0]`, BEFORE_TEXT is returned instead of a guess.
 */
export function wordStretch(
  text: string,
  at: number,
  open = false,
): [number, number] | undefined | typeof BEFORE_TEXT {
  const first = text.charCodeAt(at);
  if (first === 45) return [at, tokenEnd(text, at)];
  if ((first | 32) === 108) return bounded(at - CALL_REACH, at + 1, open);
  if ((first | 32) === 112) return [at, at + 4];
  if (open && at === 0) return BEFORE_TEXT;
  // The `=` of `!=` has the name before its `!`.
  let index = first === 61 && text.charCodeAt(at - 1) === 33 ? at - 1 : at;
  // Quotes end the prose and `key="` gates, which have an operator or `is` just before.
  if (first === 34 || first === 39 || first === 96) {
    index = skipSpaces(text, index, 3);
    if (open && index === 0) return BEFORE_TEXT;
    const before = text.charCodeAt(index - 1);
    // After a comma the word is in a call or list before it (`login('user', '`).
    if (before === 44) return bounded(index - LIST_REACH, at, open);
    if (before === 61 || before === 58) index--;
    else if ((before | 32) === 115) {
      index = skipLetters(text, index);
      if (open && index === 0) return BEFORE_TEXT;
      index = skipSpaces(text, index, 3);
    } else return undefined;
  }
  index = skipSpaces(text, index, 16);
  while (index > 0 && isQuoteCode(text.charCodeAt(index - 1))) index--;
  const nameEnd = index;
  while (index > 0 && isNameCode(text.charCodeAt(index - 1))) index--;
  if (index === nameEnd) return open && index === 0 ? BEFORE_TEXT : undefined;
  // `api key =` and `access token:` put a word and a space before the credential word.
  return bounded(index - 7, nameEnd, open);
}

/** `[start, end]` with `start` no earlier than the text's start, which an open text cannot do. */
function bounded(start: number, end: number, open: boolean): [number, number] | null {
  if (start >= 0) return [start, end];
  return open ? BEFORE_TEXT : [0, end];
}

/**
 * Where a search of `pending` for triggers resumes when `pending.slice(0, end)` was searched
 * before: at the last token of that part, and three characters back for a split `pass`.
 */
export function lastTokenStart(pending: string, end: number): number {
  let index = end;
  while (index > 0 && !isBreak(pending.charCodeAt(index - 1))) index--;
  return Math.max(0, Math.min(index, end - 3));
}

function skipSpaces(text: string, at: number, most: number): number {
  let index = at;
  while (index > 0 && at - index < most && isSpaceCode(text.charCodeAt(index - 1))) index--;
  return index;
}

function skipLetters(text: string, at: number): number {
  let index = at;
  while (index > 0 && isLetterCode(text.charCodeAt(index - 1))) index--;
  return index;
}

export function isSpaceCode(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

function isLetterCode(code: number): boolean {
  const lower = code | 32;
  return lower >= 97 && lower <= 122;
}

/**
 * `"`, `'`, a backslash or markdown's `*` (`**Password**:`), which gates allow between a name
 * and its operator.
 */
function isQuoteCode(code: number): boolean {
  return code === 34 || code === 39 || code === 92 || code === 42;
}

function tokenEnd(text: string, at: number): number {
  let index = at + 1;
  while (index < text.length && !isBreak(text.charCodeAt(index))) index++;
  return index;
}

function isNameCode(code: number): boolean {
  const lower = code | 32;
  return (
    (lower >= 97 && lower <= 122) ||
    (code >= 48 && code <= 57) ||
    code === 95 ||
    code === 46 ||
    code === 45
  );
}
