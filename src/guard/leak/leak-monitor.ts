import { withoutCanary } from './canary.js';
import { CanaryScanner } from './canary-scanner.js';
import { foldChar, forEachCodePoint } from './fold-char.js';
import { resolveLeakOptions, type LeakOptions, type LeakVerdict } from './leak-options.js';
import { OverlapTracker } from './overlap-tracker.js';
import { profileSystem } from './system-profile.js';
import { WordReader } from './word-reader.js';

/** What one step of the monitor hands back. */
export interface LeakStep {
  /** Text that may go to the client now. */
  release: string;
  /** The leak, once one is found; from then on nothing more is released. */
  leak: LeakVerdict | undefined;
}

/**
 * Watches a streamed answer for the canary and for overlap with the system prompt. Text is
 * released as soon as it cannot be part of either: what is held back is a possible canary
 * prefix, the last few content words, and any open run of words matching the prompt (up to
 * `maxHoldChars`). Every decision is made at a character position, so the verdict is the same
 * however the answer is split into deltas.
 */
export class LeakMonitor {
  /** The scanners the canary is found by: whole, by its random part, by halves of that. */
  readonly #canaries: readonly CanaryScanner[];
  readonly #overlap: OverlapTracker;
  readonly #words = new WordReader();
  readonly #maxHold: number;
  /** Received text not yet released; `#base` is the stream offset of its first character. */
  #pending = '';
  #base = 0;
  /** A high surrogate that ended a delta, kept until its pair arrives. */
  #carry = '';
  #leak: LeakVerdict | undefined;

  constructor(system: string, options?: LeakOptions) {
    const resolved = resolveLeakOptions(options);
    this.#canaries = resolved.canary === undefined ? [] : canaryScanners(resolved.canary);
    const profile = profileSystem(withoutCanary(system, resolved.canary));
    this.#overlap = new OverlapTracker(profile, resolved);
    this.#maxHold = resolved.maxHoldChars;
  }

  /** Feeds a text delta; returns text safe to release now, and whether a leak was found. */
  push(delta: string): LeakStep {
    if (this.#leak !== undefined) return { release: '', leak: this.#leak };
    let text = this.#carry + delta;
    this.#carry = '';
    if (endsWithHighSurrogate(text)) {
      this.#carry = text.slice(-1);
      text = text.slice(0, -1);
    }
    const cut = this.#scan(text);
    return this.#step(cut ?? this.#safeEnd());
  }

  /** Ends the stream: finishes the last word and releases whatever is still held. */
  flush(): LeakStep {
    if (this.#leak !== undefined) return { release: '', leak: this.#leak };
    const carried = this.#scan(this.#carry);
    this.#carry = '';
    const last = this.#words.end();
    const cut = carried ?? (last === undefined ? undefined : this.#checkWord(last));
    return this.#step(cut ?? this.#base + this.#pending.length);
  }

  /** The verdict on everything seen so far. */
  verdict(): LeakVerdict {
    return this.#leak ?? { leaked: false, reason: undefined, score: this.#overlap.score };
  }

  /** Reads new text; returns the offset the leak starts at, if one was found in it. */
  #scan(text: string): number | undefined {
    const start = this.#base + this.#pending.length;
    this.#pending += text;
    let cut: number | undefined;
    forEachCodePoint(text, start, (code, offset) => {
      cut = this.#feed(code, offset);
      return cut !== undefined;
    });
    return cut;
  }

  #feed(code: number, offset: number): number | undefined {
    let canaryStart: number | undefined;
    const folded = this.#canaries.length > 0 ? foldChar(code) : null;
    for (const scanner of this.#canaries) {
      const start = scanner.feedFolded(folded, offset);
      if (start !== undefined) canaryStart = Math.min(canaryStart ?? start, start);
    }
    // Cut where the earliest scanner's match began: the random part found, the prefix before
    // it (which the whole canary's scanner holds) is cut with it.
    if (canaryStart !== undefined) return this.#found('canary', this.#canaryHold(canaryStart));
    const word = this.#words.feed(code, offset);
    return word === undefined ? undefined : this.#checkWord(word);
  }

  #checkWord(word: { text: string; start: number }): number | undefined {
    const holdBefore = this.#overlap.holdStart ?? word.start;
    if (!this.#overlap.add(word)) return undefined;
    return this.#found('overlap', Math.min(holdBefore, this.#overlap.holdStart ?? word.start));
  }

  #found(reason: 'canary' | 'overlap', start: number): number {
    this.#leak = { leaked: true, reason, score: this.#overlap.score };
    return start;
  }

  /**
   * The end of the text that can be released now. A possible canary is never released; the
   * overlap hold (open word, window, open run) gives way past `maxHoldChars`, which also bounds
   * memory when a hostile stream never closes a word.
   */
  #safeEnd(): number {
    const end = this.#base + this.#pending.length;
    const canary = this.#canaryHold(end);
    const word = this.#overlap.enabled ? (this.#words.openStart ?? end) : end;
    const overlap = Math.min(word, this.#overlap.holdStart ?? end);
    return Math.min(canary, Math.max(overlap, end - this.#maxHold));
  }

  /** The earliest of `end` and where a possible canary starts. */
  #canaryHold(end: number): number {
    let hold = end;
    for (const scanner of this.#canaries) hold = Math.min(hold, scanner.holdStart ?? end);
    return hold;
  }

  /** Releases pending text up to `end` (a stream offset). */
  #step(end: number): LeakStep {
    const count = Math.max(0, Math.min(end - this.#base, this.#pending.length));
    const release = this.#pending.slice(0, count);
    this.#pending = this.#leak === undefined ? this.#pending.slice(count) : '';
    this.#base += count;
    return { release, leak: this.#leak };
  }
}

// Every canary Rampart makes begins so: the part after it is what is the prompt's own.
const CANARY_PREFIX = /^rk-canary-/i;
// A random part at least this long counts as leaked when either half of it is repeated.
const HALVES_FROM = 12;

/**
 * What a canary is found by: the whole of it, which also holds back a possible start of it; its
 * random part without the `rk-canary-` before it, which a model need not repeat; and for a
 * random part of HALVES_FROM letters or more, either half of that alone (the first as a leading
 * part, the second by a scanner of its own). Half of the marker repeated is the prompt
 * repeating, and a model asked for "the last part of the marker" repeats only that; a half is
 * still too long to turn up by chance.
 */
function canaryScanners(canary: string): CanaryScanner[] {
  const whole = new CanaryScanner(canary);
  const random = new CanaryScanner(canary.replace(CANARY_PREFIX, ''));
  const letters = random.letters;
  if (letters === whole.letters) return [whole];
  if (letters.length < HALVES_FROM) return [whole, random];
  const half = Math.ceil(letters.length / 2);
  return [whole, new CanaryScanner(letters, half), new CanaryScanner(letters.slice(half))];
}

function endsWithHighSurrogate(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
}
