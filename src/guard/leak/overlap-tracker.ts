import { shingleKey, type SystemProfile } from './system-profile.js';
import type { ReadWord } from './word-reader.js';
import { foldWord } from './words.js';

/**
 * Content words of the output looked back over when forming shingles. A new word is tried with
 * every pair among the previous four, so a paraphrase that inserts a word or two between the
 * prompt's words still matches the prompt's consecutive triples.
 */
const WINDOW = 4;
/** Content words without a match after which an open run of matches is over. */
const RUN_GAP = 4;
/**
 * Covered prompt positions that count as a full disclosure on their own, whatever the prompt's
 * length. With the default threshold of 0.3 an output covering 23 positions (a passage of some
 * 25 content words, about a paragraph) is a leak even when that is a small share of a long
 * prompt. Tuned on the development set: on-topic answers covered at most 20.
 */
const SATURATION = 75;
/**
 * Length of an unbroken streak of output words, each completing a prompt shingle, that counts
 * as a full disclosure. A copied passage matches at every word; an answer restating facts is
 * broken up by words of its own. On the development set answers reached streaks of 9 and copied
 * paragraphs 16 or more; with the default threshold a streak of 14 is a leak.
 */
const STREAK_SATURATION = 45;
/** Fewest covered positions that can make a leak, so a tiny prompt is not leaked by one phrase. */
const MIN_COVERED = 3;

interface RecentWord {
  word: string;
  start: number;
}

/** What a tracker needs to know to decide. */
export interface OverlapSettings {
  threshold: number;
  minSystemWords: number;
}

/**
 * Follows the output's content words and scores how much of the system prompt they cover. Each
 * word costs a fixed number of map look-ups and nothing is rescanned; memory is a few bytes per
 * prompt position plus a window of four words, however long the output grows.
 */
export class OverlapTracker {
  readonly #profile: SystemProfile;
  readonly #settings: OverlapSettings;
  readonly #covered: Uint8Array;
  #coveredCount = 0;
  readonly #recent: RecentWord[] = [];
  #position = 0;
  #lastMatch = Number.NEGATIVE_INFINITY;
  #runStart: number | undefined;
  #streak = 0;
  #longestStreak = 0;

  constructor(profile: SystemProfile, settings: OverlapSettings) {
    this.#profile = profile;
    this.#settings = settings;
    this.#covered = new Uint8Array(profile.positions);
  }

  /** Whether the prompt is long enough for the overlap check to decide anything. */
  get enabled(): boolean {
    return this.#profile.words >= this.#settings.minSystemWords && this.#profile.positions > 0;
  }

  /**
   * 0..1: the largest of the share of prompt positions covered, the count covered over its
   * saturation, and the longest streak of matching words over its saturation.
   */
  get score(): number {
    const total = this.#profile.positions;
    if (total === 0) return 0;
    const covered = this.#coveredCount;
    const streak = this.#longestStreak / STREAK_SATURATION;
    return Math.min(1, Math.max(covered / total, covered / SATURATION, streak));
  }

  /** The counts behind the score, for diagnostics and tuning. */
  get evidence(): { covered: number; positions: number; longestStreak: number } {
    const { positions } = this.#profile;
    return { covered: this.#coveredCount, positions, longestStreak: this.#longestStreak };
  }

  /** Whether the output so far is a leak by overlap. */
  get leaked(): boolean {
    if (!this.enabled || this.#coveredCount < MIN_COVERED) return false;
    return this.score >= this.#settings.threshold;
  }

  /**
   * Where text must be held back from: the start of an open run of matches, or else the oldest
   * word in the window, so that no word of a first match reaches the client before it is seen.
   */
  get holdStart(): number | undefined {
    if (!this.enabled) return undefined;
    return this.#runStart ?? this.#recent[0]?.start;
  }

  /** Takes the next word of the output; returns whether the output is now a leak. */
  add(read: ReadWord): boolean {
    const word = foldWord(read.text);
    if (word === undefined || !this.enabled) return false;
    const matchStart = this.#match(word);
    this.#advanceRun(matchStart);
    this.#recent.push({ word, start: read.start });
    if (this.#recent.length > WINDOW) this.#recent.shift();
    this.#position++;
    return this.leaked;
  }

  /** Marks every prompt shingle the new word completes; returns the earliest matched start. */
  #match(word: string): number | undefined {
    let earliest: number | undefined;
    const recent = this.#recent;
    for (let first = 0; first < recent.length - 1; first++) {
      for (let second = first + 1; second < recent.length; second++) {
        const a = recent[first];
        const b = recent[second];
        if (a === undefined || b === undefined) continue;
        const positions = this.#profile.shingles.get(shingleKey(a.word, b.word, word));
        if (positions === undefined) continue;
        for (const position of positions) this.#cover(position);
        earliest = Math.min(earliest ?? a.start, a.start);
      }
    }
    return earliest;
  }

  #cover(position: number): void {
    if (this.#covered[position] === 1) return;
    this.#covered[position] = 1;
    this.#coveredCount++;
  }

  #advanceRun(matchStart: number | undefined): void {
    this.#streak = matchStart === undefined ? 0 : this.#streak + 1;
    this.#longestStreak = Math.max(this.#longestStreak, this.#streak);
    if (matchStart !== undefined) {
      this.#lastMatch = this.#position;
      this.#runStart ??= matchStart;
      return;
    }
    if (this.#position - this.#lastMatch > RUN_GAP) this.#runStart = undefined;
  }
}
