import { analyseStarts, range, type CharSet } from './rule-starts.js';

// One pass over a text finds the places where any pattern's match can start (rule-starts.ts
// works them out from each pattern's syntax), and each pattern is tried only there, in order,
// with a sticky copy: the first place it matches is where `exec` would have found its match.

// The table of places reads the first three steps of a start; the fourth is checked against a
// mask of classes per pattern, which keeps the table small and still skips most false starts.
const TABLE_DEPTH = 3;
// The classes of three characters are hashed into a table of this many cells (2^14). Starts
// whose cells share one are all tried there: a shared cell costs tries, never a match.
const TABLE_BITS = 14;
const HASH = 0x9e3779b1;
// Fourth characters are told apart by class modulo 64, with the same effect when two share a bit.
const MASK_BITS = 64;
// Three class ids must combine into one 32-bit integer.
const MAX_CLASSES = 1024;

// Once a pattern failed at this many places, and at more than one place in TRIES_SPACING
// characters so far, the rest of the text is searched with the pattern itself from the next
// place: a text can hold a start at every position (64 KB of `-` against `-{3,}`), where one
// search is far cheaper than a try at each. Sparse tries stay cheaper than a search.
const MAX_TRIES = 32;
const TRIES_SPACING = 32;

function cellOf(raw: number): number {
  return Math.imul(raw, HASH) >>> (32 - TABLE_BITS);
}

/**
 * Patterns searched together: one pass over a text finds, for each pattern, its leftmost match,
 * as `pattern.exec(text)` would. Patterns whose starts are not bounded are left to the caller.
 */
export class StartScanner {
  /** Per pattern: its starts are bounded and {@link firstMatches} searches it. */
  readonly bounded: readonly boolean[];
  private readonly sticky: (RegExp | undefined)[];
  /** Global copies, which search from a given place on. */
  private readonly global: (RegExp | undefined)[];
  private readonly atTextStart: number[];
  /** UTF-16 code unit → class of characters no step of any start tells apart. */
  private readonly classOf: Uint16Array;
  private readonly classes: number;
  /** Hashed classes of three characters → group of patterns (0: none), entries below. */
  private readonly table: Uint16Array;
  private readonly groupStart: Uint32Array;
  /** Per entry: the pattern, and the class bits its fourth character may have (low, high). */
  private readonly members: Uint16Array;
  private readonly fourthLow: Uint32Array;
  private readonly fourthHigh: Uint32Array;
  /** Per group: the classes the fourth character may have for any of its entries. */
  private readonly groupLow: Uint32Array;
  private readonly groupHigh: Uint32Array;

  /** `maxTries`: failed places per pattern before the rest is searched whole (tests lower it). */
  constructor(
    patterns: readonly RegExp[],
    private readonly maxTries = MAX_TRIES,
  ) {
    const analyses = patterns.map(analyseStarts);
    this.bounded = analyses.map((analysis) => analysis !== undefined);
    this.sticky = patterns.map((pattern, index) =>
      analyses[index] === undefined ? undefined : new RegExp(pattern.source, `${pattern.flags}y`),
    );
    this.global = patterns.map((pattern, index) =>
      analyses[index] === undefined ? undefined : new RegExp(pattern.source, `${pattern.flags}g`),
    );
    this.atTextStart = analyses.flatMap((analysis, index) =>
      analysis?.atTextStart ? [index] : [],
    );

    // Characters are told apart only as far as some step's set does: those in the same sets
    // share a class, and characters in none share class 0.
    const sets = new Map<string, CharSet>();
    for (const analysis of analyses) {
      for (const start of analysis?.starts ?? []) {
        for (const set of start.steps) if (!set.any) sets.set(set.key, set);
      }
    }
    const membership = new Map<number, number[]>();
    for (const [index, set] of [...sets.values()].entries()) {
      for (const code of set.chars) membership.set(code, [...(membership.get(code) ?? []), index]);
    }
    const classIds = new Map<string, number>();
    this.classOf = new Uint16Array(0x10000);
    for (const [code, inSets] of membership) {
      const key = inSets.join('.');
      if (!classIds.has(key)) classIds.set(key, classIds.size + 1);
      this.classOf[code] = classIds.get(key) ?? 0;
    }
    this.classes = classIds.size + 1;
    if (this.classes > MAX_CLASSES) throw new Error('too many character classes for a start table');
    const allClasses = range(0, this.classes - 1);
    const classesOf = (set: CharSet | undefined) =>
      set === undefined || set.any
        ? allClasses
        : [...new Set(set.chars.map((code) => this.classOf[code] ?? 0))];
    const maskOf = (set: CharSet | undefined): [number, number] => {
      let low = 0;
      let high = 0;
      for (const id of classesOf(set)) {
        const bit = id % MASK_BITS;
        if (bit < 32) low |= 1 << bit;
        else high |= 1 << (bit - 32);
      }
      return [low >>> 0, high >>> 0];
    };

    // Each cell of the table (three classes, hashed) gets the patterns with a start over it, in
    // order, each with the classes of the fourth characters those starts allow.
    const cells = new Map<number, Map<number, [number, number]>>();
    for (const [pattern, analysis] of analyses.entries()) {
      for (const start of analysis?.starts ?? []) {
        let covered = [0];
        for (let depth = 0; depth < TABLE_DEPTH; depth++) {
          const options = classesOf(start.steps[depth]);
          covered = covered.flatMap((cell) =>
            options.map((option) => cell * this.classes + option),
          );
        }
        const [low, high] = maskOf(start.steps[TABLE_DEPTH]);
        for (const raw of covered) {
          const cell = cellOf(raw);
          const entries = cells.get(cell) ?? new Map<number, [number, number]>();
          const known = entries.get(pattern) ?? [0, 0];
          entries.set(pattern, [(known[0] | low) >>> 0, (known[1] | high) >>> 0]);
          cells.set(cell, entries);
        }
      }
    }
    const groups = new Map<string, number>();
    const groupStart = [0];
    const members: number[] = [];
    const fourthLow: number[] = [];
    const fourthHigh: number[] = [];
    const groupLow = [0];
    const groupHigh = [0];
    this.table = new Uint16Array(2 ** TABLE_BITS);
    for (const [cell, entries] of cells) {
      const list = [...entries].sort(([a], [b]) => a - b);
      const key = list.map(([pattern, [low, high]]) => `${pattern}:${low}:${high}`).join('.');
      let group = groups.get(key);
      if (group === undefined) {
        let unionLow = 0;
        let unionHigh = 0;
        for (const [pattern, [low, high]] of list) {
          members.push(pattern);
          fourthLow.push(low);
          fourthHigh.push(high);
          unionLow |= low;
          unionHigh |= high;
        }
        groupStart.push(members.length);
        groupLow.push(unionLow >>> 0);
        groupHigh.push(unionHigh >>> 0);
        group = groupStart.length - 1;
        if (group > 0xffff) throw new Error('too many pattern groups for a start table');
        groups.set(key, group);
      }
      this.table[cell] = group;
    }
    this.groupStart = Uint32Array.from(groupStart);
    this.members = Uint16Array.from(members);
    this.fourthLow = Uint32Array.from(fourthLow);
    this.fourthHigh = Uint32Array.from(fourthHigh);
    this.groupLow = Uint32Array.from(groupLow);
    this.groupHigh = Uint32Array.from(groupHigh);
  }

  /**
   * The leftmost match of each bounded pattern whose `wanted` entry is set, as `exec` would
   * find it; null where there is none, and for the rest.
   */
  firstMatches(text: string, wanted: readonly boolean[]): (RegExpExecArray | null)[] {
    const { sticky, global, classOf, classes, table, groupStart, groupLow, groupHigh } = this;
    const { members, fourthLow, fourthHigh } = this;
    const found: (RegExpExecArray | null)[] = sticky.map(() => null);
    // 1: still looked for.
    const open = new Uint8Array(sticky.length);
    const tries = new Uint32Array(sticky.length);
    for (const [index, pattern] of sticky.entries()) {
      if (pattern !== undefined && wanted[index] === true) open[index] = 1;
    }
    for (const index of this.atTextStart) {
      const pattern = sticky[index];
      if (open[index] !== 1 || pattern === undefined) continue;
      pattern.lastIndex = 0;
      found[index] = pattern.exec(text);
      if (found[index] !== null) open[index] = 0;
    }

    const length = text.length;
    let second = length > 0 ? (classOf[text.charCodeAt(0)] ?? 0) : 0;
    let third = length > 1 ? (classOf[text.charCodeAt(1)] ?? 0) : 0;
    let fourth = length > 2 ? (classOf[text.charCodeAt(2)] ?? 0) : 0;
    for (let position = 0; position < length; position++) {
      const first = second;
      second = third;
      third = fourth;
      fourth = position + 3 < length ? (classOf[text.charCodeAt(position + 3)] ?? 0) : 0;
      const raw = (first * classes + second) * classes + third;
      const group = table[Math.imul(raw, HASH) >>> (32 - TABLE_BITS)] ?? 0;
      if (group === 0) continue;
      const bit = fourth % MASK_BITS;
      const low = bit < 32 ? 1 << bit : 0;
      const high = bit < 32 ? 0 : 1 << (bit - 32);
      if (((groupLow[group] ?? 0) & low) === 0 && ((groupHigh[group] ?? 0) & high) === 0) continue;
      const end = groupStart[group] ?? 0;
      for (let entry = groupStart[group - 1] ?? 0; entry < end; entry++) {
        if (((fourthLow[entry] ?? 0) & low) === 0 && ((fourthHigh[entry] ?? 0) & high) === 0) {
          continue;
        }
        const index = members[entry] ?? 0;
        const pattern = sticky[index];
        if (open[index] !== 1 || pattern === undefined) continue;
        const tried = (tries[index] ?? 0) + 1;
        tries[index] = tried;
        if (tried > this.maxTries && tried * TRIES_SPACING > position) {
          // No match starts before this place: the first from here on is the one exec finds.
          const search = global[index];
          if (search === undefined) continue;
          search.lastIndex = position;
          found[index] = search.exec(text);
          open[index] = 0;
          continue;
        }
        pattern.lastIndex = position;
        const match = pattern.exec(text);
        if (match !== null) {
          found[index] = match;
          open[index] = 0;
        }
      }
    }
    return found;
  }
}
