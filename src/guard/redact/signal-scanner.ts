import { isBreak } from './profile.js';

/**
 * The test every piece of a stream goes through first: whether it is plain prose (nothing any
 * detector or credential-key gate needs), prose whose only marks are digits, or more. Marks are
 * a digit, `@`, `(`, `+`, `::`, five dashes or a token run of LONG_RUN or more (every number,
 * email, address, key block and provider token has one); gate triggers are the characters that
 * complete a credential-key gate (`=`, `:`, a quote, a dash before a flag name, `Credential(`)
 * and the word `pass`, whose `password value` gate ends in the value itself. Anything else is
 * read by `held-reading.ts`.
 *
 * One loop with a table: on short pieces this beats a regular expression, whose call costs
 * more than the whole loop.
 */

/** A token run this long may hold a provider key; shorter runs only matter near other signals. */
export const LONG_RUN = 14;

// Per UTF-16 code unit: what it means to the plain-prose test below.
const OTHER = 0;
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

/** Whether `text` has `s` (any case) at `at`. */
function sAt(text: string, at: number): boolean {
  return (text.charCodeAt(at) | 32) === 115;
}

/**
 * Whether the end of `held` and the start of `piece` complete a trigger between them: a dash
 * ending `held` before a flag character, or `p`, `pa` or `pas` (any case) ending it before the
 * rest of `pass`. These are the triggers the loop below finds at a dash or a `p`, read across
 * the join: with this test the two read as one text would, and a held token that merely ends in
 * such a start (`deep`, `step-`) is no reason to take the scanning path.
 */
function completesAcross(held: string, piece: string): boolean {
  const last = held.length - 1;
  if (last < 0) return false;
  const code = held.charCodeAt(last);
  if (code === 45) return flagAt(piece, 0);
  const lower = code | 32;
  if (lower === 112) return assAt(piece, 0);
  if (lower === 97)
    return (held.charCodeAt(last - 1) | 32) === 112 && sAt(piece, 0) && sAt(piece, 1);
  if (lower !== 115) return false;
  const pa = (held.charCodeAt(last - 1) | 32) === 97 && (held.charCodeAt(last - 2) | 32) === 112;
  return pa && sAt(piece, 0);
}

/** What a piece after a plain token is: plain prose, prose whose only marks are digits, or more. */
export const PROSE_PLAIN = 0;
export const PROSE_NUMBERED = 1;
export const PROSE_MARKED = 2;
export type Prose = typeof PROSE_PLAIN | typeof PROSE_NUMBERED | typeof PROSE_MARKED;

/** What {@link readProse} found in a piece; a stream keeps one and has it filled per piece. */
export interface ProseReading {
  kind: Prose;
  /** The index just past the piece's last break (0 when it has none): what plain prose releases. */
  cut: number;
}

/** The length of the run of token characters `text` ends with. */
export function trailingRun(text: string): number {
  let length = 0;
  while (length < text.length && !isBreak(text.charCodeAt(text.length - 1 - length))) length++;
  return length;
}

/**
 * What `held + piece` is, given that `held` is plain or numbered prose ending in a run of
 * `heldRun` token characters: only the piece is read (the joined string is never built). The
 * piece's last break is noted on the way, so releasing plain prose needs no second pass over
 * it. A dash or `pas` at the very end counts as plain: it is part of the last token, which the
 * stream holds and tests again, with the next piece, for the trigger the two complete.
 */
export function readProse(held: string, heldRun: number, piece: string, into: ProseReading): void {
  into.cut = 0;
  into.kind = PROSE_MARKED;
  if (completesAcross(held, piece)) return;
  let length = heldRun;
  let cut = 0;
  let numbered = false;
  for (let index = 0; index < piece.length; index++) {
    const code = piece.charCodeAt(index);
    const kind = PLAIN_KIND[code];
    // Letters and most punctuation: the common case, tested first.
    if (kind === OTHER) {
      if (++length >= LONG_RUN) return;
      continue;
    }
    if (kind === BREAK) {
      length = 0;
      cut = index + 1;
      continue;
    }
    if (++length >= LONG_RUN) return;
    if (kind === TRIGGER) {
      if (code < 48 || code > 57) return;
      numbered = true;
    } else if (kind === DASH) {
      if (flagAt(piece, index + 1)) return;
    } else if (assAt(piece, index + 1)) return;
  }
  into.cut = cut;
  into.kind = numbered ? PROSE_NUMBERED : PROSE_PLAIN;
}
