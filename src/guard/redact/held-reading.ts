import { triggerLength } from './gate-stretch.js';
import { hasDigitGroups, isBreak, type TextProfile } from './profile.js';
import { LONG_RUN } from './signal-scanner.js';

// What each UTF-16 code unit is to the reading below; 0 for everything it only counts in runs.
const OTHER = 0;
const BREAK = 1;
const DIGIT = 2;
const DOT = 3;
const COLON = 4;
const AT = 5;
const PLUS = 6;
const OPEN = 7;
const DASH = 8;
const OPERATOR = 9;
const QUOTE = 10;
const LETTER_L = 11;
const LETTER_P = 12;
const KIND = new Uint8Array(65536);
for (let code = 0; code < 128; code++) if (isBreak(code)) KIND[code] = BREAK;
for (let code = 48; code <= 57; code++) KIND[code] = DIGIT;
KIND[46] = DOT;
KIND[58] = COLON;
KIND[64] = AT;
KIND[43] = PLUS;
KIND[40] = OPEN;
KIND[45] = DASH;
KIND[61] = OPERATOR;
for (const code of [34, 39, 96]) KIND[code] = QUOTE;
for (const code of [76, 108]) KIND[code] = LETTER_L;
for (const code of [80, 112]) KIND[code] = LETTER_P;

function isLetterCode(code: number): boolean {
  const lower = code | 32;
  return lower >= 97 && lower <= 122;
}

/**
 * What a stream asks of its held text, read in one pass: its profile for the detectors' cheap
 * conditions (see `profile.ts`), its marks (see `signal-scanner.ts`) and where the first of them
 * is, its gate triggers (see `gate-stretch.ts`) and where its numbers start (for `Authorization`
 * gates). The held text of a piece that needs more than plain prose's test used to be read once
 * per question (marks, gate triggers, digits, the profile, the IBAN start test, the signal
 * before the hold); on pieces of a few dozen characters the passes, not the work in them, were
 * the cost.
 */
export class HeldReading implements TextProfile {
  held = '';
  digits = 0;
  dots = 0;
  colons = 0;
  at = false;
  longestRun = 0;
  keywordNear = false;
  ibanStart = false;
  fiveDashes = false;
  /** `digitGroups`, once asked: 1 or 0; -1 before. */
  #digitGroups = -1;
  /** A digit, `(` or `+`: a number may be growing. */
  numeric = false;
  /** Index of the first digit, `@`, `::` or five dashes, or Infinity. */
  firstMark = Infinity;
  /** Index of the last character of the first run of LONG_RUN characters, or Infinity. */
  firstLongRun = Infinity;
  /** Index of the last digit, or -1. */
  lastDigit = -1;
  /**
   * Where gate triggers start (see `triggerLength`), ascending: the first `triggerCount` items.
   * The array is reused from reading to reading (emptying an array costs more than the reading).
   */
  readonly triggers: number[] = [];
  triggerCount = 0;
  /** Where runs of digits start, ascending: the first `numberCount` items, as above. */
  readonly numbers: number[] = [];
  numberCount = 0;

  /**
   * Read when asked, as only the detectors that need seven digits or more ask (see `profile.ts`):
   * counting it in the loop below cost every reading more than the searches it saves.
   */
  get digitGroups(): boolean {
    if (this.#digitGroups === -1) this.#digitGroups = hasDigitGroups(this.held) ? 1 : 0;
    return this.#digitGroups === 1;
  }

  /** The last trigger's start, or -1. */
  lastTrigger(): number {
    return this.triggerCount > 0 ? (this.triggers[this.triggerCount - 1] ?? -1) : -1;
  }

  /** Something a detector needs may be in the held text (the `signal` mark). */
  get signal(): boolean {
    return this.firstMark !== Infinity || this.firstLongRun !== Infinity;
  }

  /**
   * Whether a match may start before index `end`: a mark of `signal` starts, or a run of
   * LONG_RUN ends, before it. Or `end` cuts into where a match may be: between the `(` and the
   * first digit of `(555) 014-2398`, whose match starts at the bracket, or inside a token run
   * (a run past MAX_TOKEN is released in steps, and a token at its start may have its first
   * mark only after the cut). Every other match starts with its first mark or in the token run
   * holding it, which the tail rules release whole.
   */
  signalBefore(end: number): boolean {
    if (this.firstMark < end || this.firstLongRun < end) return true;
    if (end === 0 || end >= this.held.length) return false;
    const before = this.held.charCodeAt(end - 1);
    if (this.firstMark === end && before === 40) return true;
    return !isBreak(before) && !isBreak(this.held.charCodeAt(end));
  }

  /** Reads `text` afresh. */
  read(text: string): void {
    this.#clear(text);
    let run = 0;
    let longest = 0;
    let dashes = 0;
    let digits = 0;
    // Below -1, so that no digit at index 0 is taken to follow one.
    let lastDigit = -2;
    // Read once, as in `readProse`: the loop calls out, and the length would be loaded again.
    const end = text.length;
    for (let index = 0; index < end; index++) {
      const kind = KIND[text.charCodeAt(index)] ?? OTHER;
      // Letters and most punctuation only lengthen the run: the common case, tested first.
      if (kind === OTHER) {
        if (++run > longest) longest = this.#longer(run, index);
        dashes = 0;
        continue;
      }
      if (kind === BREAK || kind === QUOTE || kind === OPEN) {
        run = 0;
        dashes = 0;
        if (kind === QUOTE) this.triggers[this.triggerCount++] = index;
        else if (kind === OPEN) this.numeric = true;
        continue;
      }
      if (++run > longest) longest = this.#longer(run, index);
      if (kind === DIGIT) {
        // Digits come in runs (and hostile text is all digits): counted here, the rest below.
        digits++;
        // A digit after a digit is told from the last digit's place, not by reading it again.
        if (lastDigit === index - 1) this.#ibanAt(text, index);
        else this.#numberAt(index);
        lastDigit = index;
        dashes = 0;
        continue;
      }
      dashes = kind === DASH ? dashes + 1 : 0;
      this.#note(text, index, kind, dashes);
    }
    this.longestRun = longest;
    this.digits = digits;
    if (lastDigit >= 0) {
      this.numeric = true;
      this.lastDigit = lastDigit;
    }
  }

  /** Notes that a run reached `run` characters at `index`, the longest yet; returns `run`. */
  #longer(run: number, index: number): number {
    if (run === LONG_RUN) this.firstLongRun = index;
    return run;
  }

  /** Notes a digit at `index` that starts a run of digits. */
  #numberAt(index: number): void {
    if (index < this.firstMark) this.firstMark = index;
    this.numbers[this.numberCount++] = index;
  }

  /** Notes whether the digit at `index`, after another, ends two letters and two digits. */
  #ibanAt(text: string, index: number): void {
    if (this.ibanStart || index < 3) return;
    this.ibanStart =
      isLetterCode(text.charCodeAt(index - 2)) && isLetterCode(text.charCodeAt(index - 3));
  }

  /** Notes the character at `index`, of a kind that is neither OTHER, a break nor a digit. */
  #note(text: string, index: number, kind: number, dashes: number): void {
    switch (kind) {
      case DOT:
        this.dots++;
        break;
      case COLON:
        this.colons++;
        this.triggers[this.triggerCount++] = index;
        if (text.charCodeAt(index - 1) === 58 && index - 1 < this.firstMark)
          this.firstMark = index - 1;
        break;
      case AT:
        this.at = true;
        if (index < this.firstMark) this.firstMark = index;
        break;
      case PLUS:
        this.numeric = true;
        break;
      case DASH:
        if (dashes === 5) {
          this.fiveDashes = true;
          if (index - 4 < this.firstMark) this.firstMark = index - 4;
        }
        if (triggerLength(text, index) > 0) this.triggers[this.triggerCount++] = index;
        break;
      case OPERATOR:
        this.triggers[this.triggerCount++] = index;
        break;
      default:
        // `l` and `p` start a trigger when `(` or `ass` follows.
        if (triggerLength(text, index) > 0) this.triggers[this.triggerCount++] = index;
    }
  }

  #clear(text: string): void {
    this.held = text;
    this.digits = 0;
    this.dots = 0;
    this.colons = 0;
    this.at = false;
    this.longestRun = 0;
    this.keywordNear = false;
    this.ibanStart = false;
    this.fiveDashes = false;
    this.#digitGroups = -1;
    this.numeric = false;
    this.firstMark = Infinity;
    this.firstLongRun = Infinity;
    this.lastDigit = -1;
    this.triggerCount = 0;
    this.numberCount = 0;
  }
}
