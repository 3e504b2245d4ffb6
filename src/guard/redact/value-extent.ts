import { KEY_GATE, KEY_GATE_MAX } from './key-patterns.js';
import { MAX_TOKEN } from './token-length.js';
import type { Candidate } from './types.js';

/**
 * Where a credential value that a key-before-value form found really ends, and how its key
 * was written: the forms read at most 200 characters of a value (a bearer token, what its
 * window holds), and a label in prose or markdown reads differently from code.
 */

// A value the pattern cut short, at its length cap or where its window ended, runs on over
// these characters (a 250-character key, a 2 KB bearer token): the rest is never left in clear.
// Up to VALUE_MAX in all: longer keys and tokens have shapes of their own (a JWT, a key block),
// and a stream holds a value's start until its end is known.
export const VALUE_MAX = MAX_TOKEN / 2;
export const VALUE_RUN = new RegExp(String.raw`^[^\s"'\`,;<>()[\]{}|\\]+`);
export const TOKEN_RUN = /^[A-Za-z0-9._~+/=-]+/;

/**
 * `candidate` with its end moved past the rest of the value, up to VALUE_MAX in all, when `run`
 * finds more of it. The rest stops where another credential key starts after a separator
 * (`a=1&secret=2`, `secret:secret:…`): each such key has a value of its own, and values that
 * overlapped one another all the way along a run of keys would make a stream hold the whole
 * run. A key's letters inside the value itself (`…xKeyQ…==`) are no key.
 */
export function wholeValue(candidate: Candidate, text: string, run: RegExp): Candidate {
  const room = VALUE_MAX - (candidate.end - candidate.start);
  // Most values end where the pattern ended them: the next character is no value's.
  if (room <= 0 || !run.test(text.charAt(candidate.end))) return candidate;
  // What follows decides where the value ends, a key's whole gate included: a stream waits to
  // see that much after it, or a key still arriving would not stop it.
  candidate.after = Math.max(candidate.after, KEY_GATE_MAX);
  // The next key first: in a run of keys it is a few characters on, and the run not read. A
  // key the cut went through (`…&to|ken=…`) counts: its own value is the next match's.
  const back = Math.min(KEY_GATE_MAX, candidate.end - candidate.start);
  const from = candidate.end - back;
  const key = nextKey(text.slice(from, candidate.end + room), text.charCodeAt(from - 1));
  if (key !== -1 && key < back) return candidate;
  const window = text.slice(candidate.end, candidate.end + room);
  const rest = run.exec(key === -1 ? window : window.slice(0, key - back))?.[0].length ?? 0;
  if (rest === 0) return candidate;
  candidate.end += rest;
  candidate.valueEnd = candidate.end;
  return candidate;
}

/**
 * Where in `window` the separator before the first key that follows one is (the value ends
 * there), or -1; `before` precedes the window.
 */
function nextKey(window: string, before: number): number {
  KEY_GATE.lastIndex = 0;
  for (let key = KEY_GATE.exec(window); key !== null; key = KEY_GATE.exec(window)) {
    const previous = key.index === 0 ? before : window.charCodeAt(key.index - 1);
    if (!isAlphanumericCode(previous)) return Math.max(0, key.index - 1);
  }
  return -1;
}

function isAlphanumericCode(code: number): boolean {
  const lower = code | 32;
  return (lower >= 97 && lower <= 122) || (code >= 48 && code <= 57);
}

/** The longest table cell read as one value: a passphrase of several words fits. */
export const CELL_MAX = 100;

/**
 * `candidate`, a valid value at the start of a markdown table cell, with its end moved to the
 * end of the cell: a passphrase with spaces (`| Password | Xk9#fT2q horse staple |`) is one
 * value, not a first word redacted and the rest left in clear. The cell ends at a `|` not
 * escaped (`\|` is part of a cell), at a line break, and a value in backticks at its closing
 * one; spaces before the end are not the value's. A cell longer than CELL_MAX ends after its
 * last whole word within it: a longer word is a token of its own, which a stream holds alone.
 * A cell the text ends in may still grow, so its candidate waits for the next character (a
 * stream holds it until the cell closes).
 */
export function wholeCell(candidate: Candidate, text: string, ticked: boolean): Candidate {
  const cap = candidate.start + CELL_MAX;
  let stop = candidate.end;
  while (stop < text.length && stop < cap && !cellEndsAt(text, stop, ticked)) stop++;
  let end = stop;
  if (stop < text.length && !cellEndsAt(text, stop, ticked) && !isBlank(text, stop)) {
    // At the cap, inside a word: the value ends before that word.
    while (end > candidate.end && !isBlank(text, end - 1)) end--;
  }
  if (stop < text.length) while (end > candidate.end && isBlank(text, end - 1)) end--;
  candidate.after = Math.max(candidate.after, stop - end + 1);
  candidate.end = end;
  candidate.valueEnd = end;
  return candidate;
}

function cellEndsAt(text: string, index: number, ticked: boolean): boolean {
  const char = text.charAt(index);
  if (char === '\n' || char === '\r') return true;
  if (char === '|') return text.charAt(index - 1) !== '\\';
  return ticked && char === '`';
}

function isBlank(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code === 32 || code === 9;
}

// Words that describe a password field rather than hold one (`| Password | SHA-256 hash |`).
const DESCRIBING =
  /\b(?:hash(?:ed|es)?|encoded|encrypted|salted|string|chars?|characters?|digits?|bits?|bytes?|only|long|length|rotation|rotated|format|type|required|optional|min(?:imum)?|max(?:imum)?|enabled|disabled|login|accounts?|pin|field|policy|vault)\b/i;
// A first word that only a generator writes: a symbol, or upper and lower case and two digits
// (`Argon2id`, `1Password` and `OAuth2` are names).
const GENERATED = /[!#$%&*+=?@^~]|^(?=.*[a-z])(?=.*[A-Z])(?=.*\d.*\d).{8,}$/;

/**
 * Whether a table cell of several words describes the field (`8-128 characters`, `Argon2id
 * hash`, `6-digit PIN`) rather than holds a passphrase: its first word is nothing a generator
 * writes, and a word after it says what kind of value goes there.
 */
export function describesField(cell: string): boolean {
  const words = cell.split(/\s+/);
  if (words.length < 2 || GENERATED.test(words[0] ?? '')) return false;
  return DESCRIBING.test(words.slice(1).join(' '));
}

export const SENTENCE_END = /^[.!?:]$/;

/**
 * Whether the key of the value at `start` is a markdown label: a `*` right before the value
 * (`**Password:** x`) or right before its operator (`**Password**: x`), spaces and an opening
 * quote aside.
 */
export function emphasised(text: string, start: number): boolean {
  let index = start - 1;
  while (index >= 0 && /[\s"'`\\]/.test(text[index] ?? '')) index--;
  if (text[index] === '*') return true;
  if (text[index] !== ':' && text[index] !== '=') return false;
  return text[index - 1] === '*';
}
