import { authorizationGates, gateReach, gatesAround, KEY_GATE_MAX } from './key-patterns.js';
import { isBreak } from './profile.js';
import {
  eachGateTrigger,
  hasGateTrigger,
  eachStemEnd,
  hasRun,
  LONG_RUN,
  STEM_MAX,
  STEM_WORDS,
} from './signal-scanner.js';

/** The held text of a stream, the released text before it, and what the held text shows. */
export interface GateInput {
  /**
   * Released raw text just before `pending`, at least KEY_GATE_MAX + STEM_MAX characters; read
   * only when a search is needed.
   */
  context: () => string;
  pending: string;
  /** Stream offset of `pending[0]`. */
  pendingAt: number;
  /** Where the text new since the last search starts in `pending`. */
  from: number;
  /** `pending` has a digit (an `Authorization` gate ends in one). */
  numeric: boolean;
}

// `Bearer 1`: the word, three spaces and forty characters before the digit.
const AUTHORIZATION_REACH = 50;
// `login('user', '` and `'API_KEY', '`: the word is at most this far before the quote.
const LIST_REACH = 130;
// `NetworkCredential(`: the word ends this close before the bracket.
const CALL_REACH = 12;

/**
 * The credential-key gates (see `KEY_GATE`) a stream has seen recently, by stream offset.
 *
 * A gate is searched for only when the held text has a character that can complete one: every
 * gate form ends in `=`, `:`, a quote, a flag's dash and name, `(` or a digit, or in the value
 * after `password` (after that word every piece is searched until it is too far back to be part
 * of a gate). Each trigger says where the credential word must lie (in the name before an
 * operator, in the flag after a dash), so only that stretch is searched for words. A gate stays
 * near only while a value it keys may still start (see `gateReach`): a few characters past the
 * operator for `key = value`, which is most of them, so prose after it streams unscanned again.
 */
export class GateTracker {
  /** Gate starts, ascending. */
  #gates: number[] = [];
  /** For each gate, the last stream offset a value it keys may start at. */
  #reaches: number[] = [];
  /** Until the stream reaches this offset, every piece is searched. */
  #liveUntil = -1;

  /** Whether a piece may be released without a search: no gate near and none pending. */
  quiet(pendingAt: number): boolean {
    if (this.#liveUntil >= pendingAt) return false;
    return this.#gates.length === 0 || this.near(pendingAt).length === 0;
  }

  /** Gate starts that can still key a value at or after `pendingAt`. */
  near(pendingAt: number): readonly number[] {
    let allNear = true;
    for (const reach of this.#reaches) allNear &&= reach >= pendingAt;
    if (allNear) return this.#gates;
    const kept = this.#gates.flatMap((gate, index) =>
      (this.#reaches[index] ?? 0) >= pendingAt ? [index] : [],
    );
    this.#gates = kept.map((index) => this.#gates[index] ?? 0);
    this.#reaches = kept.map((index) => this.#reaches[index] ?? 0);
    return this.#gates;
  }

  /** Searches the end of the stream for gates when something there may have completed one. */
  note(input: GateInput): void {
    const { pending, pendingAt } = input;
    // After `password`, and before a long run (an unseal key), any word may start a gate.
    const everywhere = this.#liveUntil >= pendingAt || hasRun(pending, LONG_RUN);
    // Triggers before the last token of the earlier text were searched with it, and their
    // stretches end before that token; a dash in it may still start a growing flag name.
    const rescan = lastTokenStart(pending, input.from);
    const triggers =
      everywhere || !hasGateTrigger(pending, rescan) ? [] : gateTriggers(pending, rescan);
    // A digit searched before had all the text its gate reads back over then.
    const numeric = input.numeric && hasDigit(pending, input.from);
    const authorization = numeric && mayHaveAuthorization(input);
    if (!everywhere && triggers.length === 0 && !authorization) return;
    const context = input.context();
    const text = context + pending;
    const base = pendingAt - context.length;
    const from = Math.max(0, context.length - KEY_GATE_MAX - STEM_MAX);
    if (authorization) {
      const start = Math.max(0, context.length - AUTHORIZATION_REACH);
      for (const gate of authorizationGates(text, start)) this.#add(text, base, gate);
    }
    if (everywhere) this.#noteWords(text, base, [from, text.length]);
    for (const [at, trigger] of triggers) {
      const stretch = wordStretch(text, context.length + at, trigger);
      if (stretch !== undefined)
        this.#noteWords(text, base, [Math.max(from, stretch[0]), stretch[1]]);
    }
  }

  /** Looks for gates around every credential word in `text.slice(start, end)`. */
  #noteWords(text: string, base: number, [start, end]: [number, number]): void {
    const stretch = text.slice(start, end);
    eachStemEnd(stretch, 0, (stemEnd) => {
      const wordEnd = start + stemEnd;
      for (const gate of gatesAround(text, wordEnd - 1, STEM_WORDS)) this.#add(text, base, gate);
      if (isPass(text, wordEnd))
        this.#liveUntil = Math.max(this.#liveUntil, base + wordEnd + KEY_GATE_MAX);
    });
  }

  /** Adds the gate at `text[start]`, or widens its reach when more text shows a longer form. */
  #add(text: string, base: number, start: number): void {
    const gate = base + start;
    const reach = base + gateReach(text, start);
    const known = this.#gates.indexOf(gate);
    if (known !== -1) {
      this.#reaches[known] = Math.max(this.#reaches[known] ?? 0, reach);
      return;
    }
    let index = this.#gates.length;
    while (index > 0 && (this.#gates[index - 1] ?? 0) > gate) index--;
    this.#gates.splice(index, 0, gate);
    this.#reaches.splice(index, 0, reach);
  }
}

/** The triggers in `pending` from `from` on, less those that `pending` alone shows end no gate. */
function gateTriggers(pending: string, from: number): [number, string][] {
  const triggers: [number, string][] = [];
  eachGateTrigger(pending, from, (at, trigger) => {
    if (!endsNoGate(pending, at, trigger)) triggers.push([at, trigger]);
  });
  return triggers;
}

/**
 * Whether {@link wordStretch} finds no stretch for the quote, `=` or `:` at `at`, read from
 * `pending` alone: its walk back stays inside `pending` and meets no name, operator or comma.
 * Skipping such triggers spares building the context for code full of `=>` and backticks.
 */
function endsNoGate(pending: string, at: number, trigger: string): boolean {
  const first = trigger.charCodeAt(0);
  if (first === 34 || first === 39 || first === 96) {
    const index = skipSpaces(pending, at, 3);
    if (index === 0) return false;
    const before = pending.charCodeAt(index - 1);
    return before !== 44 && before !== 61 && before !== 58 && (before | 32) !== 115;
  }
  if (first !== 61 && first !== 58) return false;
  let index = first === 61 && pending.charCodeAt(at - 1) === 33 ? at - 1 : at;
  index = skipSpaces(pending, index, 16);
  while (index > 0 && isQuoteCode(pending.charCodeAt(index - 1))) index--;
  return index > 0 && !isNameCode(pending.charCodeAt(index - 1));
}

/**
 * Where a search of `pending` for triggers resumes when `pending.slice(0, end)` was searched
 * before: at the last token of that part, and three characters back for a split `pass`.
 */
function lastTokenStart(pending: string, end: number): number {
  let index = end;
  while (index > 0 && !isBreak(pending.charCodeAt(index - 1))) index--;
  return Math.max(0, Math.min(index, end - 3));
}

function hasDigit(text: string, from: number): boolean {
  for (let index = from; index < text.length; index++)
    if (isDigitCode(text.charCodeAt(index))) return true;
  return false;
}

const AUTHORIZATION_WORDS = ['bearer', 'basic', 'token'];

/** The character `at` places from the start of `pending`, reading back into the context. */
function codeAt(input: GateInput, at: number): number {
  if (at >= 0) return input.pending.charCodeAt(at);
  const context = input.context();
  return context.charCodeAt(context.length + at);
}

/**
 * Whether a digit of `pending` may end an `Authorization` gate: before the digit's token part
 * of letters and `._~+/-` (at most forty) lie one to three spaces and `Bearer`, `Basic` or
 * `Token`. Walked back character by character from the first digit of each new number.
 */
export function mayHaveAuthorization(input: GateInput): boolean {
  const pending = input.pending;
  for (let index = input.from; index < pending.length; index++) {
    const code = pending.charCodeAt(index);
    if (code < 48 || code > 57 || isDigitCode(codeAt(input, index - 1))) continue;
    let at = index;
    while (index - at < 40 && isTokenValueCode(codeAt(input, at - 1))) at--;
    const spaces = at;
    while (spaces - at < 3 && isSpaceCode(codeAt(input, at - 1))) at--;
    if (at === spaces) continue;
    // Every word ends in r, c or n: most numbers follow some other word and stop here.
    const last = codeAt(input, at - 1) | 32;
    if (last !== 114 && last !== 99 && last !== 110) continue;
    for (const word of AUTHORIZATION_WORDS) if (wordEndsAt(input, at, word)) return true;
  }
  return false;
}

function wordEndsAt(input: GateInput, end: number, word: string): boolean {
  for (let offset = 1; offset <= word.length; offset++) {
    const code = codeAt(input, end - offset) | 32;
    if (code !== word.charCodeAt(word.length - offset)) return false;
  }
  return true;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isTokenValueCode(code: number): boolean {
  const lower = code | 32;
  return (
    (lower >= 97 && lower <= 122) ||
    code === 46 ||
    code === 95 ||
    code === 126 ||
    code === 43 ||
    code === 47 ||
    code === 45
  );
}

function isSpaceCode(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * Where the credential word of a gate completed by `trigger` at `at` may lie, or undefined when
 * no gate ends there. Before an operator or a quote: the name before it (gates allow sixteen
 * spaces, a quote and a backslash between). After a dash: the flag name.
 */
function wordStretch(text: string, at: number, trigger: string): [number, number] | undefined {
  const first = trigger.charCodeAt(0);
  if (first === 45) return [at, tokenEnd(text, at)];
  if ((first | 32) === 108) return [Math.max(0, at - CALL_REACH), at + 1];
  if ((first | 32) === 112) return [at, at + 4];
  // The `=` of `!=` has the name before its `!`.
  let index = first === 61 && text.charCodeAt(at - 1) === 33 ? at - 1 : at;
  // Quotes end the prose and `key="` gates, which have an operator or `is` just before.
  if (first === 34 || first === 39 || first === 96) {
    index = skipSpaces(text, index, 3);
    const before = text.charCodeAt(index - 1);
    // After a comma the word is in a call or list before it (`login('user', '`).
    if (before === 44) return [Math.max(0, index - LIST_REACH), at];
    if (before === 61 || before === 58) index--;
    else if ((before | 32) === 115) index = skipSpaces(text, skipLetters(text, index), 3);
    else return undefined;
  }
  index = skipSpaces(text, index, 16);
  while (index > 0 && isQuoteCode(text.charCodeAt(index - 1))) index--;
  const nameEnd = index;
  while (index > 0 && isNameCode(text.charCodeAt(index - 1))) index--;
  if (index === nameEnd) return undefined;
  // `api key =` and `access token:` put a word and a space before the credential word.
  return [Math.max(0, index - 7), nameEnd];
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

function isLetterCode(code: number): boolean {
  const lower = code | 32;
  return lower >= 97 && lower <= 122;
}

/** `"`, `'` or a backslash, which gates allow between a name and its operator. */
function isQuoteCode(code: number): boolean {
  return code === 34 || code === 39 || code === 92;
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

/** Whether the credential word ending at `end` is `pass`, whose gate can end in its value. */
function isPass(text: string, end: number): boolean {
  return end >= 4 && text.slice(end - 4, end).toLowerCase() === 'pass';
}
