import { foldChar } from './fold-char.js';

/** A finished word of the output: its folded letters and where it starts in the stream. */
export interface ReadWord {
  text: string;
  start: number;
}

/** Words longer than this are cut: nothing real is longer, and memory stays bounded. */
const MAX_WORD_LENGTH = 48;
const BACKSLASH = 0x5c;
/** n, r, t: after a backslash they are a line break or tab, not the start of a word. */
const ESCAPE_LETTERS = new Set([0x6e, 0x72, 0x74]);

/**
 * Splits a character stream into lower-case words, one code point at a time, so a word split
 * across deltas reads the same as a whole one. The caller feeds code points with their stream
 * offsets and is handed each word when the separator after it arrives.
 */
export class WordReader {
  #word = '';
  #start = -1;
  /** The previous character was a backslash: a prompt dumped as a JSON string has `\n` escapes. */
  #escape = false;

  /** Offset where the word being read began, if a word is open. */
  get openStart(): number | undefined {
    return this.#start < 0 ? undefined : this.#start;
  }

  /** Feeds one code point; returns the word it finished, if any. */
  feed(code: number, offset: number): ReadWord | undefined {
    const escaped = this.#escape;
    this.#escape = code === BACKSLASH;
    if (escaped && ESCAPE_LETTERS.has(code)) return undefined;
    const folded = foldChar(code);
    if (folded === null) return this.end();
    if (folded === '') return undefined;
    if (this.#start < 0) this.#start = offset;
    if (this.#word.length < MAX_WORD_LENGTH) this.#word += folded;
    return undefined;
  }

  /** Finishes the open word, if any (at a separator or at the end of the stream). */
  end(): ReadWord | undefined {
    if (this.#start < 0) return undefined;
    const word = { text: this.#word, start: this.#start };
    this.#word = '';
    this.#start = -1;
    return word;
  }
}
