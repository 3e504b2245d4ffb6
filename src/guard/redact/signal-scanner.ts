import { isBreak } from './profile.js';

/**
 * Cheap tests a stream runs on its held text before any detector. Each is a necessary condition
 * of some patterns, so text that passes none of them is released without a scan:
 *
 * - marks: a digit, `@`, `(`, `+`, `::`, five dashes or a token run of 14 or more (every number,
 *   email, address, key block and provider token has one);
 * - gate triggers: the characters that complete a credential-key gate (`=`, `:`, a quote, a dash
 *   before a flag name, `Credential(`), or the word `pass`, whose `password value` gate ends in
 *   the value itself.
 *
 * The test every piece of plain prose goes through is one loop with a table; the rest run only
 * when it fails, and use regular expressions.
 */

/** The credential words every `KEY_GATE` form contains. */
const WORDS = ['pass', 'pwd', 'secret', 'token', 'key', 'crumb', 'credential', 'sonar', 'pat'];
const MORE_WORDS = ['reporter', 'postmark', 'unseal', 'account', 'bearer', 'basic', '-u', '--user'];
const USER_WORDS = ['user', 'login', 'auth'];
export const STEM_WORDS: readonly string[] = [...WORDS, ...MORE_WORDS, ...USER_WORDS];

/** The longest credential word. */
export const STEM_MAX = Math.max(...STEM_WORDS.map((word) => word.length));

/** A token run this long may hold a provider key; shorter runs only matter near other signals. */
export const LONG_RUN = 14;

const SIGNAL_MARK = /[0-9@]|::|-----/g;
// The longest mark above, less one: a search resuming this far back finds one split by a cut.
const MARK_REACH = 4;
const GATE_TRIGGER = /[=:"'`]|-[\w.-]|l\(|pass/gi;
const STEMS = new RegExp(STEM_WORDS.join('|'), 'gi');

/**
 * Whether `text` has a run of at least `length` characters without a break ending after `from`.
 * Probes every `length`-th character and only walks back from those inside a run, so prose with
 * short words costs a few probes per run length.
 */
export function hasRun(text: string, length: number, from = 0): boolean {
  let at = from + length - 1;
  while (at < text.length) {
    if (isBreak(text.charCodeAt(at))) {
      at += length;
      continue;
    }
    let back = at;
    while (back > at - length + 1 && !isBreak(text.charCodeAt(back - 1))) back--;
    if (back === at - length + 1) return true;
    at = back + length;
  }
  return false;
}

// Per UTF-16 code unit: what it means to the plain-prose test below.
const TRIGGER = 1;
const BREAK = 2;
const DASH = 3;
const LETTER_P = 4;
const PLAIN_KIND = new Uint8Array(65536);
for (let code = 0; code < 128; code++) if (isBreak(code)) PLAIN_KIND[code] = BREAK;
for (const char of '0123456789@(+=:"\'`') PLAIN_KIND[char.charCodeAt(0)] = TRIGGER;
PLAIN_KIND[45] = DASH;
PLAIN_KIND[80] = LETTER_P;
PLAIN_KIND[112] = LETTER_P;

/** Whether `text` has `ass` (any case) at `at`, completing `pass`. */
function assAt(text: string, at: number): boolean {
  return (
    (text.charCodeAt(at) | 32) === 97 &&
    (text.charCodeAt(at + 1) | 32) === 115 &&
    (text.charCodeAt(at + 2) | 32) === 115
  );
}

/** Whether a dash at `at - 1` starts a flag name (`--api-key`, `-u`) rather than a list item. */
function flagAt(text: string, at: number): boolean {
  // Folding in the lower-case bit maps `_` to 127; the few control codes it also admits are rare.
  const code = text.charCodeAt(at) | 32;
  return (code >= 97 && code <= 122) || (code >= 45 && code <= 57 && code !== 47) || code === 127;
}

/**
 * The run of token characters `text` ends with, counting on from `run`, or -1 when `text` has a
 * mark or gate trigger. One table look-up per character: on short pieces this beats a regular
 * expression, whose call costs more than the whole loop. A dash or `pas` at the very end counts
 * as plain: it is part of the last token, which the stream holds and tests again.
 */
function plainRun(text: string, run: number): number {
  let length = run;
  for (let index = 0; index < text.length; index++) {
    const kind = PLAIN_KIND[text.charCodeAt(index)];
    if (kind === BREAK) {
      length = 0;
      continue;
    }
    if (kind === TRIGGER || ++length >= LONG_RUN) return -1;
    if (kind === DASH && flagAt(text, index + 1)) return -1;
    if (kind === LETTER_P && assAt(text, index + 1)) return -1;
  }
  return length;
}

/** Whether `text` is one plain token (no break in it) that a plain piece may continue. */
export function isPlainToken(text: string): boolean {
  return plainRun(text, 0) === text.length && !endsOpen(text);
}

/** Whether `text` ends in a dash or in `p`, `pa` or `pas`, which the next piece may complete. */
function endsOpen(text: string): boolean {
  const last = text.length - 1;
  if (last < 0) return false;
  const code = text.charCodeAt(last) | 32;
  if (code === 45 || code === 112) return true;
  if (code === 97) return (text.charCodeAt(last - 1) | 32) === 112;
  if (code !== 115) return false;
  return (text.charCodeAt(last - 1) | 32) === 97 && (text.charCodeAt(last - 2) | 32) === 112;
}

/** What a piece after a plain token is: plain prose, prose whose only marks are digits, or more. */
export const PROSE_PLAIN = 0;
export const PROSE_NUMBERED = 1;
export const PROSE_MARKED = 2;
export type Prose = typeof PROSE_PLAIN | typeof PROSE_NUMBERED | typeof PROSE_MARKED;

/**
 * What `held + piece` is, given that `held` is plain or numbered prose: only the piece is read
 * (the joined string is never built), with the run `held` ends in as the run so far. The same
 * loop as {@link plainRun}, except that digits are noted rather than ending it.
 */
export function proseAfter(held: string, piece: string): Prose {
  if (endsOpen(held)) return PROSE_MARKED;
  let length = 0;
  while (length < held.length && !isBreak(held.charCodeAt(held.length - 1 - length))) length++;
  let numbered = false;
  for (let index = 0; index < piece.length; index++) {
    const code = piece.charCodeAt(index);
    const kind = PLAIN_KIND[code];
    if (kind === BREAK) {
      length = 0;
      continue;
    }
    if (++length >= LONG_RUN) return PROSE_MARKED;
    if (kind === TRIGGER) {
      if (code < 48 || code > 57) return PROSE_MARKED;
      numbered = true;
    }
    if (kind === DASH && flagAt(piece, index + 1)) return PROSE_MARKED;
    if (kind === LETTER_P && assAt(piece, index + 1)) return PROSE_MARKED;
  }
  return numbered ? PROSE_NUMBERED : PROSE_PLAIN;
}

// Per ASCII code: 1 completes a gate by itself, 2 when a flag name follows (`-`), 3 when `ass`
// follows (`p`), 4 when `(` follows (`l`).
const GATE_KIND = new Uint8Array(128);
for (const char of '=:"\'`') GATE_KIND[char.charCodeAt(0)] = 1;
GATE_KIND[45] = 2;
GATE_KIND[80] = 3;
GATE_KIND[112] = 3;
GATE_KIND[76] = 4;
GATE_KIND[108] = 4;

/** Whether `text` has a gate trigger (see {@link eachGateTrigger}): one loop, no regex call. */
export function hasGateTrigger(text: string, from = 0): boolean {
  for (let index = from; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const kind = code < 128 ? GATE_KIND[code] : 0;
    if (kind === 0) continue;
    if (kind === 1) return true;
    if (kind === 2 && flagAt(text, index + 1)) return true;
    if (kind === 3 && assAt(text, index + 1)) return true;
    if (kind === 4 && text.charCodeAt(index + 1) === 40) return true;
  }
  return false;
}

/**
 * Calls `visit` with the index of each character in `text` from `from` on that may complete a
 * credential-key gate, and the word `pass`, whose gate may end in the value after it.
 */
export function eachGateTrigger(
  text: string,
  from: number,
  visit: (at: number, trigger: string) => void,
): void {
  GATE_TRIGGER.lastIndex = from;
  for (let match = GATE_TRIGGER.exec(text); match !== null; match = GATE_TRIGGER.exec(text))
    visit(match.index, match[0]);
}

/** What the held text of a stream shows. */
export interface Marks {
  /** Something a detector needs may be in it. */
  signal: boolean;
  /** It has a digit, `(` or `+`, so a number may be growing at its end. */
  numeric: boolean;
}

export const NO_MARKS: Marks = { signal: false, numeric: false };

const SIGNAL_ONLY: Marks = { signal: true, numeric: false };
const NUMERIC_ONLY: Marks = { signal: false, numeric: true };
const BOTH_MARKS: Marks = { signal: true, numeric: true };

function marksFor(signal: boolean, numeric: boolean): Marks {
  if (signal) return numeric ? BOTH_MARKS : SIGNAL_ONLY;
  return numeric ? NUMERIC_ONLY : NO_MARKS;
}

/**
 * Marks of `text` given the `previous` marks of `text.slice(0, from)`: only the new part (and
 * enough before it for a mark split by the cut) is searched. One loop rather than a regular
 * expression per kind: the held text is short, and a call costs more than the loop.
 */
export function marksOf(text: string, from = 0, previous: Marks = NO_MARKS): Marks {
  if (previous.signal && previous.numeric) return previous;
  let signal = previous.signal;
  let numeric = previous.numeric;
  for (let index = Math.max(0, from - MARK_REACH); index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) return BOTH_MARKS;
    if (code === 40 || code === 43) numeric = true;
    else if (code === 64) signal = true;
    else if (code === 58) signal ||= text.charCodeAt(index + 1) === 58;
    else if (code === 45) signal ||= text.startsWith('-----', index);
    if (signal && numeric) return BOTH_MARKS;
  }
  signal ||= hasRun(text, LONG_RUN, Math.max(0, from - LONG_RUN + 1));
  const marks = marksFor(signal, numeric);
  return marks.signal === previous.signal && marks.numeric === previous.numeric ? previous : marks;
}

/** Whether `text` has a mark of `Marks.signal` starting before `end`. */
export function signalBefore(text: string, end: number): boolean {
  SIGNAL_MARK.lastIndex = 0;
  const match = SIGNAL_MARK.exec(text);
  if (match !== null && match.index < end) return true;
  return hasRun(end === text.length ? text : text.slice(0, end), LONG_RUN);
}

/** Calls `visit` with the index just past each credential word in `text` from `from` on. */
export function eachStemEnd(text: string, from: number, visit: (end: number) => void): void {
  STEMS.lastIndex = from;
  for (let match = STEMS.exec(text); match !== null; match = STEMS.exec(text)) {
    visit(match.index + match[0].length);
    // Words overlap (`--user`, `-u`): resume one character on so none is missed.
    STEMS.lastIndex = match.index + 1;
  }
}
