import { MAX_TOKEN } from './token-length.js';
import type { Candidate, SensitiveType } from './types.js';

/** Calls `visit` for each match of a global or sticky `pattern` in `text` from `from` on. */
export function eachMatch(
  pattern: RegExp,
  text: string,
  from: number,
  visit: (match: RegExpExecArray) => void,
): void {
  pattern.lastIndex = from;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    visit(match);
    // An empty match would otherwise repeat forever at the same index.
    if (match[0].length === 0) pattern.lastIndex++;
  }
}

/**
 * What a detector decided about one match, beyond its position. Every detector passes the same
 * four fields in the same order (and a narrower value span, when it has one, apart): objects of
 * one shape keep {@link toCandidate} fast, where a mix of shapes made it the scan's hot spot.
 */
export interface Verdict {
  type: SensitiveType;
  rule: string;
  valid: boolean;
  /** Characters after the match the decision read (see `Candidate.after`). */
  after: number;
}

/** A candidate spanning the whole match; the reported value is `value`, by default the same span. */
export function toCandidate(
  match: RegExpExecArray,
  verdict: Verdict,
  value?: { start: number; end: number },
): Candidate {
  const start = match.index;
  const end = start + match[0].length;
  return {
    start,
    end,
    valueStart: value === undefined ? start : value.start,
    valueEnd: value === undefined ? end : value.end,
    type: verdict.type,
    rule: verdict.rule,
    label: verdict.type,
    valid: verdict.valid,
    after: verdict.after,
  };
}

/** Lower-cased text of up to `width` characters before `index`. */
export function textBefore(text: string, index: number, width: number): string {
  return text.slice(Math.max(0, index - width), index).toLowerCase();
}

/** Lower-cased text of up to `width` characters from `index` on. */
export function textAfter(text: string, index: number, width: number): string {
  return text.slice(index, index + width).toLowerCase();
}

const RUN_CLASS = String.raw`[^\t\n\v\f\r "'\`,;<>(){}|\\]`;
const RUNS = new Map<number, RegExp>();

/**
 * Runs are read in pieces of at most this many characters: a greedy match over millions of
 * characters overflows the regex engine's backtracking stack (a RangeError, not a slow match).
 */
const MAX_RUN = 4 * MAX_TOKEN;
/**
 * Consecutive pieces of one long run overlap by the longest a token can be, so each token lies
 * whole in one of them (a token across a cut was found in neither, or found in part).
 */
const RUN_OVERLAP = MAX_TOKEN;

function runPattern(minLength: number): RegExp {
  let pattern = RUNS.get(minLength);
  if (pattern === undefined) {
    pattern = new RegExp(`${RUN_CLASS}{${minLength},${MAX_RUN}}`, 'g');
    RUNS.set(minLength, pattern);
  }
  return pattern;
}

/** Where {@link eachMatchInRuns} searches. */
export interface RunsInput {
  text: string;
  from: number;
  /** The shortest match. */
  minLength: number;
  /** Text every match contains, if any: a run without it is not searched. */
  needs?: string;
}

/**
 * Like {@link eachMatch} for patterns whose matches never contain a run-breaking character
 * (see `profile.ts`) and are at least `minLength` long: only runs that long are searched, each
 * with one character of context either side for the pattern's look-arounds.
 */
export function eachMatchInRuns(
  pattern: RegExp,
  input: RunsInput,
  visit: (match: RegExpExecArray) => void,
): void {
  const { text, from, minLength, needs } = input;
  if (needs !== undefined && !text.includes(needs, from)) return;
  const runs = runPattern(minLength);
  runs.lastIndex = from;
  for (let run = runs.exec(text); run !== null; run = runs.exec(text)) {
    // A piece cut at the limit: the next one starts far enough back to hold any token whole.
    if (run[0].length === MAX_RUN) runs.lastIndex = run.index + MAX_RUN - RUN_OVERLAP;
    if (needs !== undefined && !run[0].includes(needs)) continue;
    const offset = Math.max(0, run.index - 1);
    const slice = text.slice(offset, run.index + run[0].length + 1);
    eachMatch(pattern, slice, run.index - offset, (match) => {
      match.index += offset;
      visit(match);
    });
  }
}

/** Longest reach of a key-before-value lookbehind, plus the longest value after it. */
const WINDOW_BEFORE = 160;
const WINDOW_AFTER = 210;

/**
 * Like {@link eachMatch} for patterns whose matches can only start inside `windows`: each window
 * is searched in a slice that keeps the pattern's lookbehind and longest value.
 */
export function eachMatchInWindows(
  pattern: RegExp,
  input: { text: string; windows: readonly [number, number][]; needs?: RegExp | undefined },
  visit: (match: RegExpExecArray) => number | void,
): void {
  const { text, windows, needs } = input;
  let resume = 0;
  for (const [start, end] of windows) {
    const from = Math.max(start, resume);
    if (from >= end) continue;
    const offset = Math.max(0, from - WINDOW_BEFORE);
    const slice = text.slice(offset, end + WINDOW_AFTER);
    // Text every match holds, lookbehind included, when the caller knows of some.
    if (needs !== undefined && !needs.test(slice)) continue;
    pattern.lastIndex = from - offset;
    for (let match = pattern.exec(slice); match !== null; match = pattern.exec(slice)) {
      if (match.index + offset >= end) break;
      const matchEnd = match.index + offset + match[0].length;
      match.index += offset;
      // The visitor may say the finding runs on past the match: the search resumes after it.
      resume = Math.max(matchEnd, visit(match) ?? matchEnd);
      pattern.lastIndex = resume - offset;
    }
  }
}
