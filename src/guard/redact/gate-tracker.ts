import {
  BEFORE_TEXT,
  isSpaceCode,
  lastTokenStart,
  triggerLength,
  wordStretch,
} from './gate-stretch.js';
import { authorizationGates, gateReach, gatesAround, KEY_GATE_MAX } from './key-patterns.js';
import type { HeldReading } from './held-reading.js';
import { eachStemEnd, hasStemWithin, STEM_MAX, STEM_WORDS } from './stem-words.js';

/** The held text of a stream, the released text before it, and what the held text shows. */
export interface GateInput {
  /**
   * Released raw text just before `pending`, at least KEY_GATE_MAX + STEM_MAX characters; read
   * only when a search is needed.
   */
  context: () => string;
  /**
   * The last `count` released characters (all of them, if fewer were released): what a stretch
   * that begins just before `pending` reads, without the context being built.
   */
  before: (count: number) => string;
  /** The code of the `count`th last released character, as `context` has it (NaN past it). */
  codeBefore: (count: number) => number;
  pending: string;
  /** Stream offset of `pending[0]`. */
  pendingAt: number;
  /** Where the text new since the last search starts in `pending`. */
  from: number;
  /** The reading of `pending`: its long runs, triggers and numbers. */
  reading: HeldReading;
}

// `Bearer 1`: the word, three spaces and forty characters before the digit.
const AUTHORIZATION_REACH = 50;

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
  /**
   * Stream offset up to which every word has been searched, while each piece is (see `note`);
   * -1 once a piece is not, as the text after it was then searched around triggers only.
   */
  #wordsSearchedTo = -1;

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
    const { pending, pendingAt, reading } = input;
    // After `password`, and before a long run (an unseal key), any word may start a gate.
    const everywhere = this.#liveUntil >= pendingAt || reading.firstLongRun !== Infinity;
    if (!everywhere) this.#wordsSearchedTo = -1;
    // Triggers before the last token of the earlier text were searched with it, and their
    // stretches end before that token; a dash in it may still start a growing flag name.
    const rescan = lastTokenStart(pending, input.from);
    const triggers =
      everywhere || reading.lastTrigger() < rescan ? [] : keyedTriggers(input, rescan);
    // A digit searched before had all the text its gate reads back over then.
    const authorization = reading.lastDigit >= input.from && mayHaveAuthorization(input);
    if (!everywhere && triggers.length === 0 && !authorization) return;
    const context = input.context();
    const text = context + pending;
    const base = pendingAt - context.length;
    const from = Math.max(0, context.length - KEY_GATE_MAX - STEM_MAX);
    if (authorization) {
      const start = Math.max(0, context.length - AUTHORIZATION_REACH);
      for (const gate of authorizationGates(text, start)) this.#add(text, base, gate);
    }
    if (everywhere) {
      // Words searched with the pieces before need no second search, but for the last ones,
      // whose gates those pieces may have shown only in part. Without this, a held run of
      // credential words (`secret:secret:…`) was searched whole again with every piece.
      const searched = this.#wordsSearchedTo - base - KEY_GATE_MAX - STEM_MAX;
      this.#noteWords(text, base, [Math.max(from, searched), text.length]);
      this.#wordsSearchedTo = base + text.length;
    }
    for (const at of triggers) {
      // The text starts where the stream's kept text does, so the stretch is known.
      const stretch = wordStretch(text, context.length + at);
      if (stretch !== undefined && stretch !== BEFORE_TEXT)
        this.#noteWords(text, base, [Math.max(from, stretch[0]), stretch[1]]);
    }
  }

  /** Looks for gates around every credential word in `text.slice(start, end)`. */
  #noteWords(text: string, base: number, [start, end]: [number, number]): void {
    eachStemEnd(text, start, end, (wordEnd) => {
      for (const gate of gatesAround(text, wordEnd - 1, STEM_WORDS)) this.#add(text, base, gate);
      if (isPass(text, wordEnd))
        this.#liveUntil = Math.max(this.#liveUntil, base + wordEnd + KEY_GATE_MAX);
    });
  }

  /**
   * Adds the gate at `text[start]`, or widens its reach when more text shows a longer form. The
   * gates are found by binary search: a long held run of credential words (`secret:secret:…`)
   * keeps a thousand gates near, and each piece adds some again.
   */
  #add(text: string, base: number, start: number): void {
    const gate = base + start;
    const reach = base + gateReach(text, start);
    const gates = this.#gates;
    let low = 0;
    let high = gates.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((gates[middle] ?? 0) < gate) low = middle + 1;
      else high = middle;
    }
    if (gates[low] === gate) {
      this.#reaches[low] = Math.max(this.#reaches[low] ?? 0, reach);
      return;
    }
    gates.splice(low, 0, gate);
    this.#reaches.splice(low, 0, reach);
  }
}

// Released characters read for a stretch that begins before the held text, before falling back
// to the whole context: enough for the word and space of `api key =` before most names.
const BEFORE_REACH = 16;

/**
 * The triggers in `pending` from `from` on whose stretch may hold a credential word. A stretch
 * that `pending` (and at most BEFORE_REACH released characters) shows whole is searched at once,
 * by a table, and dropped without a word; only the triggers left, and those whose stretch reaches
 * further back, make the stream build the released text and search it. Code is full of `=`,
 * `=>` and backticks, and most of them follow names like `total` or nothing at all.
 */
function keyedTriggers(input: GateInput, from: number): number[] {
  const { pending, pendingAt } = input;
  const keyed: number[] = [];
  let joined: string | undefined;
  // The reading has every place a trigger matches; one starting inside the last one taken is
  // not a match of the search it stands for, which resumes after that trigger's end.
  const { triggers, triggerCount } = input.reading;
  let next = from;
  for (let index = 0; index < triggerCount; index++) {
    const at = triggers[index] ?? 0;
    if (at < next) continue;
    next = at + triggerLength(pending, at);
    let text = pending;
    let stretch = wordStretch(pending, at, pendingAt > 0);
    if (stretch === BEFORE_TEXT) {
      joined ??= input.before(BEFORE_REACH) + pending;
      text = joined;
      const shift = joined.length - pending.length;
      stretch = wordStretch(joined, at + shift, pendingAt > shift);
    }
    const keys =
      stretch === BEFORE_TEXT ||
      (stretch !== undefined && hasStemWithin(text, stretch[0], stretch[1]));
    if (keys) keyed.push(at);
  }
  return keyed;
}

const AUTHORIZATION_WORDS = ['bearer', 'basic', 'token'];

/** The character `at` places from the start of `pending`, reading back into the context. */
function codeAt(input: GateInput, at: number): number {
  return at >= 0 ? input.pending.charCodeAt(at) : input.codeBefore(-at);
}

/**
 * Whether a digit of `pending` may end an `Authorization` gate: before the digit's token part
 * of letters and `._~+/-` (at most forty) lie one to three spaces and `Bearer`, `Basic` or
 * `Token`. Walked back character by character from the first digit of each new number (the
 * reading lists where each starts).
 */
export function mayHaveAuthorization(input: GateInput): boolean {
  const { numbers, numberCount } = input.reading;
  for (let number = 0; number < numberCount; number++) {
    const index = numbers[number] ?? 0;
    if (index < input.from || isDigitCode(codeAt(input, index - 1))) continue;
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

/** Whether the credential word ending at `end` is `pass`, whose gate can end in its value. */
function isPass(text: string, end: number): boolean {
  return end >= 4 && text.slice(end - 4, end).toLowerCase() === 'pass';
}
