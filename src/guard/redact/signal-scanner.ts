import { isBreak } from './profile.js';

/**
 * One pass per delta over the characters a stream receives, carrying its state across deltas,
 * that notes where anything a detector could need appears: a digit, `@`, `::`, five dashes, a
 * token run of 14 or more, or a credential word (the stems of `KEY_GATE`, found with an
 * Aho-Corasick automaton). Text with none of these, and no credential word shortly before, is released
 * without running any pattern.
 */

/** The credential words every `KEY_GATE` form contains. */
const WORDS = ['pass', 'pwd', 'secret', 'token', 'key', 'crumb', 'credential', 'sonar', 'pat'];
const MORE_WORDS = ['reporter', 'postmark', 'unseal', 'account', 'bearer', 'basic', '-u', '--user'];
export const STEM_WORDS: readonly string[] = [...WORDS, ...MORE_WORDS];

// Symbols: 0 for anything else, 1-26 for letters (either case), 27 for '-'.
const SYMBOLS = 28;
const SYMBOL = new Uint8Array(128);
for (let code = 0; code < 26; code++) {
  SYMBOL[97 + code] = code + 1;
  SYMBOL[65 + code] = code + 1;
}
SYMBOL[45] = 27;

function symbolOf(char: string): number {
  return SYMBOL[char.charCodeAt(0)] ?? 0;
}

interface Automaton {
  next: Int16Array;
  accepts: Uint8Array;
}

/** Builds the goto function with failure links folded in, so scanning is one lookup per char. */
function buildAutomaton(words: readonly string[]): Automaton {
  const children: number[][] = [new Array<number>(SYMBOLS).fill(-1)];
  const accepting: boolean[] = [false];
  for (const word of words) {
    let state = 0;
    for (const char of word) {
      const symbol = symbolOf(char);
      let child = children[state]?.[symbol] ?? -1;
      if (child === -1) {
        child = children.length;
        children.push(new Array<number>(SYMBOLS).fill(-1));
        accepting.push(false);
        (children[state] as number[])[symbol] = child;
      }
      state = child;
    }
    accepting[state] = true;
  }
  return foldFailures(children, accepting);
}

function foldFailures(children: number[][], accepting: boolean[]): Automaton {
  const next = new Int16Array(children.length * SYMBOLS);
  const accepts = new Uint8Array(children.length);
  const failure = new Int32Array(children.length);
  const queue: number[] = [];
  for (let symbol = 0; symbol < SYMBOLS; symbol++) {
    const child = children[0]?.[symbol] ?? -1;
    next[symbol] = child === -1 ? 0 : child;
    if (child > 0) queue.push(child);
  }
  accepts[0] = 0;
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    accepts[state] = accepting[state] || accepts[failure[state] ?? 0] === 1 ? 1 : 0;
    for (let symbol = 0; symbol < SYMBOLS; symbol++) {
      const child = children[state]?.[symbol] ?? -1;
      const fallback = next[(failure[state] ?? 0) * SYMBOLS + symbol] ?? 0;
      if (child === -1) {
        next[state * SYMBOLS + symbol] = fallback;
        continue;
      }
      failure[child] = fallback;
      next[state * SYMBOLS + symbol] = child;
      queue.push(child);
    }
  }
  return { next, accepts };
}

const AUTOMATON = buildAutomaton(STEM_WORDS);

// Per ASCII character: its automaton symbol in the low bits, and flags.
const SYMBOL_MASK = 31;
const BREAK = 32;
const SIGNAL = 64;
const KIND = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const isSignal = (code >= 48 && code <= 57) || code === 64;
  KIND[code] = (SYMBOL[code] ?? 0) | (isBreak(code) ? BREAK : 0) | (isSignal ? SIGNAL : 0);
}
const LONG_RUN = 14;

/** Scanner state carried from one delta to the next. */
export class SignalScanner {
  #state = 0;
  #run = 0;
  #dashes = 0;
  #colon = false;
  /** Stream offset of the latest signal character. */
  signalAt = -Infinity;
  /** Stream offsets where recent credential words end, ascending; the owner prunes it. */
  readonly stemEnds: number[] = [];

  /** Scans `text` from `from` on; `offset` is the stream offset of `text[0]`. */
  scan(text: string, from: number, offset: number): void {
    const { next, accepts } = AUTOMATON;
    let state = this.#state;
    let run = this.#run;
    let dashes = this.#dashes;
    let colon = this.#colon;
    for (let index = from; index < text.length; index++) {
      const code = text.charCodeAt(index);
      const kind = code < 128 ? (KIND[code] as number) : 0;
      state = next[state * SYMBOLS + (kind & SYMBOL_MASK)] as number;
      if (accepts[state] === 1) this.stemEnds.push(offset + index);
      run = (kind & BREAK) !== 0 ? 0 : run + 1;
      dashes = code === 45 ? dashes + 1 : 0;
      const pair = colon && code === 58;
      colon = code === 58;
      if ((kind & SIGNAL) !== 0 || pair || dashes >= 5 || run >= LONG_RUN)
        this.signalAt = offset + index;
    }
    this.#state = state;
    this.#run = run;
    this.#dashes = dashes;
    this.#colon = colon;
  }
}
