import { withoutCanary } from './canary.js';
import { CanaryScanner } from './canary-scanner.js';
import { forEachCodePoint } from './fold-char.js';
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
  readonly #canary: CanaryScanner | undefined;
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
    this.#canary = resolved.canary === undefined ? undefined : new CanaryScanner(resolved.canary);
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
    const canaryStart = this.#canary?.feed(code, offset);
    if (canaryStart !== undefined) return this.#found('canary', canaryStart);
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
    const canary = this.#canary?.holdStart ?? end;
    const word = this.#overlap.enabled ? (this.#words.openStart ?? end) : end;
    const overlap = Math.min(word, this.#overlap.holdStart ?? end);
    return Math.min(canary, Math.max(overlap, end - this.#maxHold));
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

function endsWithHighSurrogate(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff;
}
