import { literalTailStart } from './literal-detector.js';
import { isGroupSeparator } from './group-separators.js';
import { isBreak } from './profile.js';
import { MAX_TOKEN } from './token-length.js';
import type { LiteralValue } from './types.js';

/**
 * Where the part of a stream that may still change begins. Every pattern's match is one of:
 * a run of token characters (emails, keys, URLs, IPs), digit groups with separators (cards,
 * SSNs, phones), four-character groups (spaced IBANs), a private key header with spaces, or a
 * literal. For each shape this file finds the earliest start of a tail that could still grow
 * into, or be part of, a match; the stream holds from the earliest of them.
 */

/** No token pattern is longer than this, so a longer run need not be held from its start. */
export { MAX_TOKEN };
// Past MAX_TOKEN, release in steps of this size so a long run is scanned a bounded number of times.
const TOKEN_STEP = 1024;
// Longest digits-and-separators match any phone, card or SSN pattern can make, extension included.
const MAX_NUMERIC = 80;
const MAX_IBAN = 50;

// Characters that never occur inside a token-shaped match are the run breaks of `profile.ts`:
// whitespace, quotes and the punctuation every token pattern excludes. Anything else (including
// non-ASCII) may occur in one.

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function tokenRunStart(text: string, floor: number): number {
  let index = text.length;
  while (index > floor && !isBreak(text.charCodeAt(index - 1))) index--;
  return index;
}

/**
 * A held text's last run at least this long is past what the rules other than the token rule
 * read of it (see `grownRunHold`): the key header rule reads this many characters back.
 */
export const SETTLED_RUN = 90;

/**
 * `holdStart` (without literals) of a held text of `length` characters at stream offset `base`
 * whose last run starts at `runStart` and has only grown, by characters without a break, since
 * it was `hold` for the same text when that run was SETTLED_RUN characters or longer (or since
 * it was a run of its own, `runStart` 0). Found without reading the text: past MAX_TOKEN the
 * token rule holds from a TOKEN_STEP boundary inside the run, as it did (if it did) before the
 * run grew, and releases the run in steps (see `boundedTokenStart`). Otherwise the hold is as it
 * was, because every rule reads the same text as before:
 * - the token rule finds the same run start;
 * - the number rule walks back from the run's start and reads no further than its first
 *   character; a text that had none of its marks before has none before the run now;
 * - the IBAN rule asks only about a last run of four characters or fewer;
 * - the key header rule reads SETTLED_RUN characters back, inside the run, and can only hold
 *   from the run's start or later;
 * - a hold before the run's start is moved back to the start of its own run, before it.
 * A run of its own is held from 0 below MAX_TOKEN, as no rule holds from before its start.
 */
export function grownRunHold(base: number, length: number, runStart: number, hold: number): number {
  const token = boundedTokenStart(length, runStart, base);
  return token > runStart ? token : hold;
}

/**
 * The start of the run a text of `length` characters ends in, given as `start`, or, past
 * MAX_TOKEN, of its part still held.
 */
function boundedTokenStart(length: number, start: number, base: number): number {
  if (length - start <= MAX_TOKEN) return start;
  const step = Math.floor((base + length - MAX_TOKEN) / TOKEN_STEP) * TOKEN_STEP;
  return Math.max(start, step - base);
}

/**
 * Space . / ( ) + and the separators card and SSN groups may be split by (`group-separators.ts`):
 * what may stand between the digit groups of a number.
 */
function isNumericPunctuation(code: number): boolean {
  return (
    code === 32 ||
    code === 46 ||
    code === 47 ||
    code === 40 ||
    code === 41 ||
    code === 43 ||
    isGroupSeparator(code)
  );
}
const EXTENSION_WORDS = ['extension', 'ext.', 'ext', 'x'];

/** Length of an extension word ending at `end` and following a digit or a space, else 0. */
function extensionBefore(text: string, end: number): number {
  const last = text.charCodeAt(end - 1) | 32;
  // Every extension word ends in x, t, n or a full stop.
  if (last !== 120 && last !== 116 && last !== 110 && last !== 46) return 0;
  for (const word of EXTENSION_WORDS) {
    const start = end - word.length;
    if (start < 1 || !wordAt(text, start, word)) continue;
    const before = text.charCodeAt(start - 1);
    if (isDigit(before) || before === 32) return word.length;
  }
  return 0;
}

/** Whether lower-case `word` is at `at` in `text`, ignoring ASCII case; allocates nothing. */
function wordAt(text: string, at: number, word: string): boolean {
  for (let index = 0; index < word.length; index++) {
    const code = text.charCodeAt(at + index);
    const want = word.charCodeAt(index);
    if (code !== want && (want < 97 || (code | 32) !== want)) return false;
  }
  return true;
}

function isWordCode(code: number): boolean {
  return isAlphanumeric(code) || code === 95;
}

/** The first index after the run of digits starting at `index`. */
function skipDigits(text: string, index: number): number {
  let at = index;
  while (at < text.length && isDigit(text.charCodeAt(at))) at++;
  return at;
}

/**
 * Whether the `(`, `)` or `+` at `at` can be part of a phone number: every pattern has a digit
 * right after `(` and `+`, and right before `)`. One at the very end may still get its digit.
 * Code is full of the others (`reduce((sum`, `item) =>`, `a + b`), and holding from them held
 * the code after them for nothing.
 */
function isNumberMark(text: string, at: number, code: number): boolean {
  if (code === 41) return at > 0 && isDigit(text.charCodeAt(at - 1));
  if (code !== 40 && code !== 43) return false;
  return at + 1 === text.length || isDigit(text.charCodeAt(at + 1));
}

/**
 * Extends a held tail back over digit groups, separators and extension words before it. Digits
 * glued to a word (`key000`) cannot start a number, so then the held part begins after them.
 */
function numericTailStart(text: string, end: number, floor: number): number {
  let start = end;
  let index = end;
  let separators = 0;
  while (index > floor && end - index < MAX_NUMERIC) {
    const code = text.charCodeAt(index - 1);
    if (isDigit(code) || isNumberMark(text, index - 1, code)) {
      index--;
      start = index;
      separators = 0;
    } else if (isNumericPunctuation(code) && separators < 2) {
      index--;
      separators++;
    } else {
      const word = extensionBefore(text, index);
      if (word === 0) break;
      index -= word;
      separators = 0;
    }
  }
  const glued = index > floor && isWordCode(text.charCodeAt(index - 1)) && start === index;
  return glued && isDigit(text.charCodeAt(index)) ? Math.min(end, skipDigits(text, index)) : start;
}

function isAlphanumeric(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** True when `text` has two letters and two digits (an IBAN's start) at `at`. */
function ibanStartAt(text: string, at: number): boolean {
  if (!isLetter(text.charCodeAt(at)) || !isLetter(text.charCodeAt(at + 1))) return false;
  return isDigit(text.charCodeAt(at + 2)) && isDigit(text.charCodeAt(at + 3));
}

/** Extends a held tail back over space-separated groups of up to four letters or digits to an IBAN start. */
function ibanTailStart(text: string, end: number, floor: number): number {
  let start = end;
  let index = end;
  let letterGroups = 0;
  while (index > floor && end - index < MAX_IBAN) {
    let groupStart = index;
    let letters = true;
    while (groupStart > floor && isAlphanumeric(text.charCodeAt(groupStart - 1))) {
      groupStart--;
      if (isDigit(text.charCodeAt(groupStart))) letters = false;
    }
    if (index - groupStart > 4 && index !== end) break;
    if (ibanStartAt(text, groupStart)) start = groupStart;
    // No IBAN has three letter-only groups in a row, so prose words end the search.
    letterGroups = letters && groupStart < index ? letterGroups + 1 : 0;
    if (letterGroups >= 3) break;
    if (groupStart <= floor || text.charCodeAt(groupStart - 1) !== 32) break;
    index = groupStart - 1;
  }
  return start;
}

const KEY_HEADER_PREFIX = /-----BEGIN(?: [A-Z0-9 ]{0,60})?-{0,4}$/;

function keyHeaderTailStart(text: string, floor: number): number {
  const from = Math.max(floor, text.length - SETTLED_RUN);
  const at = text.indexOf('-----BEGIN', from);
  if (at === -1) return text.length;
  return KEY_HEADER_PREFIX.test(text.slice(at)) ? at : text.length;
}

/** What a text is known to hold, so that tails it cannot have are not looked for. */
export interface TailHints {
  /** A digit, `(` or `+`: without one no number or IBAN is in the text. */
  numeric: boolean;
  /** Two letters and two digits in a row: without them no IBAN starts in the text. */
  ibanStart: boolean;
  /** Five dashes in a row: without them no key block header is in the text. */
  fiveDashes: boolean;
}

/** Hints that rule nothing out. */
export const NO_HINTS: TailHints = { numeric: true, ibanStart: true, fiveDashes: true };

/**
 * The earliest index at or after `floor` from which `text` could still change its redaction.
 * `base` is the stream offset of `text[0]`; `hints` say which shapes the text cannot hold.
 * (Positional parameters: this runs per delta.)
 */
export function holdStart(
  text: string,
  floor: number,
  base: number,
  literals: readonly LiteralValue[],
  hints: TailHints = NO_HINTS,
): number {
  const run = tokenRunStart(text, floor);
  const token = boundedTokenStart(text.length, run, base);
  // Past MAX_TOKEN a run is released in steps, and the part before a step is never held again:
  // any match there ends more than a step before the text does, so it is whole and the scan
  // finds it. (The number rule would otherwise reach back from the step and hold the run again
  // from its start, and a run like `4-4-4-…` would be held whole, and read whole per piece.)
  if (token > run) return token;
  let start = token;
  if (hints.numeric) start = Math.min(start, numericTailStart(text, token, floor));
  // A token longer than a group cannot be the end of a spaced IBAN (a compact one is the token).
  if (hints.numeric && hints.ibanStart && text.length - token <= 4)
    start = Math.min(start, ibanTailStart(text, token, floor));
  if (hints.fiveDashes) start = Math.min(start, keyHeaderTailStart(text, floor));
  if (literals.length > 0) start = Math.min(start, literalTailStart(text, floor, literals));
  // A hold that begins inside a run begins at the run: a pattern may match from the run's start
  // ("sk-" before digits that a phone or card rule held) and must not lose its head.
  return start < token ? runStartAt(text, start, floor) : start;
}

/** The start of the run of non-break characters holding `index`, at most MAX_TOKEN back. */
function runStartAt(text: string, index: number, floor: number): number {
  let start = index;
  while (start > floor && index - start < MAX_TOKEN && !isBreak(text.charCodeAt(start - 1))) {
    start--;
  }
  return start;
}
