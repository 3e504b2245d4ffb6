import { isGroupSeparator } from './group-separators.js';

/**
 * A one-pass summary of the text a scan may match in, so detectors that cannot match are
 * skipped without running their patterns. Each gate below is a necessary condition of the
 * detector's patterns, never a guess.
 */
export interface TextProfile {
  /** The text matches may lie in. */
  held: string;
  digits: number;
  dots: number;
  colons: number;
  at: boolean;
  /** Longest run of characters that can belong to a token (see `tail.ts`). */
  longestRun: number;
  /** A credential word occurs in the text or shortly before it. */
  keywordNear: boolean;
  /** Two ASCII letters and two digits follow each other: an IBAN's start. */
  ibanStart: boolean;
  /** Five dashes follow each other, as in a key block's `-----BEGIN`. */
  fiveDashes: boolean;
  /**
   * Digits as every phone, card and SSN pattern holds them: seven in a row, or a digit that
   * follows another across one or two separators (see `joinsDigitGroups`), or a `+`. Prose
   * numbers (`in 2025 and 1999`) reach the digit counts those detectors ask for without it.
   */
  digitGroups: boolean;
}

// The characters that end a token run; the same set as the stream's tail rules.
const BREAK_CODES = [9, 10, 11, 12, 13, 32, 34, 39, 96, 44, 59, 60, 62, 40, 41, 123, 125, 124, 92];
const BREAKS = new Uint8Array(128);
for (const code of BREAK_CODES) BREAKS[code] = 1;

/** True for characters that end a token run. */
export function isBreak(code: number): boolean {
  return code < 128 && BREAKS[code] === 1;
}

/** Whether `text` has a character that ends a token run anywhere in it. */
export function hasBreak(text: string): boolean {
  for (let index = 0; index < text.length; index++)
    if (isBreak(text.charCodeAt(index))) return true;
  return false;
}

/** A space, a full stop or a group separator: what stands between the groups of a number. */
function isNumberSeparator(code: number): boolean {
  return code === 32 || code === 46 || isGroupSeparator(code);
}

/**
 * Whether the digit at `index`, the first of a run of digits, follows a `+` or a digit with one
 * or two separators between them. The phone patterns' separators, the card's (one or two
 * spaces, or one of `group-separators.ts`) and the SSN's are all among them, and every one of
 * their groupings but a run of seven or more digits has such a digit, or a `+` before one.
 */
export function joinsDigitGroups(text: string, index: number): boolean {
  const before = text.charCodeAt(index - 1);
  if (before === 43) return true;
  if (!isNumberSeparator(before)) return false;
  const second = text.charCodeAt(index - 2);
  if (second >= 48 && second <= 57) return true;
  return isNumberSeparator(second) && isDigit(text, index - 3);
}

/** A run of this many digits holds digit groups: the shortest bare run a phone pattern takes. */
export const GROUPED_RUN = 7;

/** Whether `text` holds digit groups (see `TextProfile.digitGroups`). */
export function hasDigitGroups(text: string): boolean {
  let run = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    run = code >= 48 && code <= 57 ? run + 1 : 0;
    if (run === GROUPED_RUN || (run === 1 && joinsDigitGroups(text, index))) return true;
  }
  return false;
}

export function profileOf(held: string, keywordNear: boolean): TextProfile {
  let digits = 0;
  let dots = 0;
  let colons = 0;
  let at = false;
  let run = 0;
  let longestRun = 0;
  let ibanStart = false;
  let dashes = 0;
  let fiveDashes = false;
  for (let index = 0; index < held.length; index++) {
    const code = held.charCodeAt(index);
    dashes = code === 45 ? dashes + 1 : 0;
    fiveDashes ||= dashes === 5;
    if (code >= 48 && code <= 57) {
      digits++;
      ibanStart ||= index >= 3 && isDigit(held, index - 1) && isLetters(held, index - 3);
    } else if (code === 46) dots++;
    else if (code === 58) colons++;
    else if (code === 64) at = true;
    run = isBreak(code) ? 0 : run + 1;
    if (run > longestRun) longestRun = run;
  }
  let digitGroups: boolean | undefined;
  return {
    held,
    digits,
    dots,
    colons,
    at,
    longestRun,
    keywordNear,
    ibanStart,
    fiveDashes,
    // Read when asked, as the stream's reading does: only detectors past seven digits ask.
    get digitGroups() {
      digitGroups ??= hasDigitGroups(held);
      return digitGroups;
    },
  };
}

function isDigit(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code >= 48 && code <= 57;
}

/** Whether `text` has two ASCII letters at `at`. */
function isLetters(text: string, at: number): boolean {
  const first = text.charCodeAt(at) | 32;
  const second = text.charCodeAt(at + 1) | 32;
  return first >= 97 && first <= 122 && second >= 97 && second <= 122;
}
