import { foldChar, isPlain, type FoldedChar } from './fold-char.js';

/**
 * Separator characters allowed between two letters of a disguised canary ("r k - c a n …",
 * zero-width characters between letters). More than this and the partial match is dropped, so
 * a stream of spaces cannot make the monitor hold text forever.
 */
const MAX_GAP = 8;

/**
 * Finds a canary in a character stream, one code point at a time, ignoring case, spacing,
 * punctuation and invisible characters between its letters. It is a Knuth–Morris–Pratt matcher
 * over the canary's letters, remembering where each matched letter began so the monitor can hold
 * back exactly the text that could still become the canary.
 */
export class CanaryScanner {
  readonly #pattern: string;
  readonly #failure: number[];
  /** Offsets of the most recent pattern-length letters, as a ring. */
  readonly #offsets: number[];
  #letters = 0;
  #matched = 0;
  #gap = 0;

  /** Letters matched in a row that count as the canary found: all of them unless told fewer. */
  readonly #enough: number;

  /** `enough`: a leading part of this many letters is already a leak (the whole by default). */
  constructor(canary: string, enough?: number) {
    this.#pattern = [...canary.toLowerCase()].filter((char) => isPlain(char)).join('');
    this.#failure = failureTable(this.#pattern);
    this.#offsets = new Array<number>(Math.max(1, this.#pattern.length)).fill(0);
    this.#enough = Math.min(this.#pattern.length, Math.max(1, enough ?? this.#pattern.length));
  }

  /** The letters it looks for, as it reads them. */
  get letters(): string {
    return this.#pattern;
  }

  /** Offset where a possible canary starts, while one is partly matched. */
  get holdStart(): number | undefined {
    if (this.#matched === 0) return undefined;
    return this.#offsetOf(this.#letters - this.#matched);
  }

  /** Feeds one code point; returns the offset where the canary began if this completed it. */
  feed(code: number, offset: number): number | undefined {
    return this.feedFolded(foldChar(code), offset);
  }

  /**
   * `feed` for a code point already folded by `foldChar`: a monitor with several scanners folds
   * each code point once for all of them.
   */
  feedFolded(folded: FoldedChar, offset: number): number | undefined {
    if (this.#pattern.length === 0) return undefined;
    if (folded === '' || folded === null) return this.#skip();
    if (!isPlain(folded)) {
      this.#matched = 0;
      return undefined;
    }
    this.#gap = 0;
    // Nearly every character folds to one letter: no string iterator for it.
    if (folded.length === 1) return this.#step(folded, offset);
    for (const letter of folded) {
      const found = this.#step(letter, offset);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  #skip(): undefined {
    this.#gap++;
    if (this.#gap > MAX_GAP) this.#matched = 0;
    return undefined;
  }

  #step(letter: string, offset: number): number | undefined {
    this.#offsets[this.#letters % this.#offsets.length] = offset;
    this.#letters++;
    let matched = this.#matched;
    while (matched > 0 && this.#pattern[matched] !== letter) {
      matched = this.#failure[matched - 1] ?? 0;
    }
    if (this.#pattern[matched] === letter) matched++;
    this.#matched = matched;
    if (matched < this.#enough) return undefined;
    this.#matched = 0;
    return this.#offsetOf(this.#letters - matched);
  }

  #offsetOf(letterIndex: number): number {
    return this.#offsets[letterIndex % this.#offsets.length] ?? 0;
  }
}

/** The classic prefix-function table: longest proper prefix that is also a suffix. */
function failureTable(pattern: string): number[] {
  const table = new Array<number>(pattern.length).fill(0);
  let length = 0;
  for (let index = 1; index < pattern.length; index++) {
    while (length > 0 && pattern[index] !== pattern[length]) length = table[length - 1] ?? 0;
    if (pattern[index] === pattern[length]) length++;
    table[index] = length;
  }
  return table;
}
