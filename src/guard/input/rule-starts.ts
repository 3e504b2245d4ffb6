import { parseRegExpLiteral, type AST } from '@eslint-community/regexpp';

// A pattern searched with `exec` is tried at every position of the text, and most of the rules'
// patterns cost a few microseconds each over a few kilobytes that way. Yet a match can only
// start where the text holds one of the few short strings the pattern can begin with. This
// module works those strings out from each pattern's syntax, finds the places the text holds
// them in one pass for all patterns, and tries each pattern only there, with a sticky copy.
//
// The first place where the sticky copy matches gives the match `exec` returns: `exec` tries
// the positions in order and, at each, makes the same attempt the sticky copy makes there; the
// positions left out are ones no match can start at. Assertions still read the whole text
// (`\b`, lookbehinds), as the sticky copy runs over the whole text. Where the syntax does not
// bound the start of a match (`\S`, `.`, a pattern that can match nothing), the pattern is
// searched as before.

// How many characters from a match's start are read to choose the places a pattern is tried:
// the scanner below reads three through its table and the fourth through a mask.
const START_DEPTH = 4;
// A set of characters larger than this counts as any character: listing it would gain nothing.
const MAX_SET = 512;
// Past this many distinct starts (or repeats of a quantifier) a pattern is searched as before.
const MAX_STARTS = 4096;
const MAX_REPEATS = 64;

/** Characters one step of a start can be: `any` when the syntax does not bound them. */
interface CharSet {
  any: boolean;
  /** Sorted UTF-16 code units, when not `any`. */
  chars: readonly number[];
  /** The same for equal sets: each set is made once (see setOf), so starts compare cheaply. */
  key: string;
}

/**
 * The beginning of a match: up to START_DEPTH steps, each one character of a set. Fewer steps
 * mean the match can end there, so any characters (or none) may follow. `atStart` marks a
 * start that only holds at the beginning of the text (a leading `^`).
 */
interface Start {
  steps: readonly CharSet[];
  atStart: boolean;
}

/** What {@link analyseStarts} finds: the starts of every match, or nothing when unbounded. */
export interface StartAnalysis {
  /** Starts that can hold anywhere in the text, each beginning with a bounded set. */
  starts: readonly Start[];
  /** A match can start at the beginning of the text whatever it holds there. */
  atTextStart: boolean;
}

class Unbounded extends Error {}

const ANY: CharSet = { any: true, chars: [], key: '*' };
const SETS = new Map<string, CharSet>();

function setOf(codes: Iterable<number>): CharSet {
  const chars = [...new Set(codes)].sort((a, b) => a - b);
  if (chars.length > MAX_SET) return ANY;
  const spelled = chars.join('.');
  let set = SETS.get(spelled);
  if (set === undefined) {
    set = { any: false, chars, key: String(SETS.size) };
    SETS.set(spelled, set);
  }
  return set;
}

function range(from: number, to: number): number[] {
  const codes: number[] = [];
  for (let code = from; code <= to; code++) codes.push(code);
  return codes;
}

// What `\s`, `\d` and `\w` match without the `u` flag (ECMA-262 WhiteSpace and LineTerminator).
const SPACE_CODES = [
  ...range(0x09, 0x0d),
  0x20,
  0xa0,
  0x1680,
  ...range(0x2000, 0x200a),
  0x2028,
  0x2029,
  0x202f,
  0x205f,
  0x3000,
  0xfeff,
];
const DIGIT_CODES = range(0x30, 0x39);
const WORD_CODES = [...range(0x41, 0x5a), ...range(0x61, 0x7a), ...DIGIT_CODES, 0x5f];

/** Exported for the tests: the code units `\s` matches, which they compare with the engine. */
export const SPACE_SET: readonly number[] = SPACE_CODES;

interface Context {
  ignoreCase: boolean;
  multiline: boolean;
  /** The `u` flag: a character of the pattern may take two code units of the text. */
  unicode: boolean;
}

/**
 * The code units a character of the pattern matches. Without the `u` flag, `i` pairs an ASCII
 * letter only with its other case; other characters under `i` count as any character, which
 * is never wrong, only slower.
 */
function charsFor(codes: readonly number[], context: Context): CharSet {
  if (codes.some((code) => code > 0xffff)) return ANY;
  if (!context.ignoreCase) return setOf(codes);
  const folded: number[] = [];
  for (const code of codes) {
    if (code >= 0x80) return ANY;
    const char = String.fromCharCode(code);
    folded.push(code, char.toLowerCase().charCodeAt(0), char.toUpperCase().charCodeAt(0));
  }
  return setOf(folded);
}

function escapeSet(node: AST.EscapeCharacterSet, context: Context): CharSet {
  if (node.negate) return ANY;
  if (node.kind === 'space') return setOf(SPACE_CODES);
  return charsFor(node.kind === 'digit' ? DIGIT_CODES : WORD_CODES, context);
}

function classSet(node: AST.CharacterClass, context: Context): CharSet {
  if (node.negate || node.unicodeSets) return ANY;
  const codes: number[] = [];
  for (const element of node.elements) {
    let set: CharSet;
    if (element.type === 'Character') set = charsFor([element.value], context);
    else if (element.type === 'CharacterClassRange') {
      const size = element.max.value - element.min.value + 1;
      set = size > MAX_SET ? ANY : charsFor(range(element.min.value, element.max.value), context);
    } else if (element.type === 'CharacterSet' && element.kind !== 'property') {
      set = escapeSet(element, context);
    } else return ANY;
    if (set.any) return ANY;
    codes.push(...set.chars);
  }
  return setOf(codes);
}

const keyOf = (start: Start) =>
  `${start.atStart ? '^' : ''}${start.steps.map((set) => set.key).join('|')}`;

function distinct(starts: Iterable<Start>): Start[] {
  const byKey = new Map<string, Start>();
  for (const start of starts) byKey.set(keyOf(start), start);
  if (byKey.size > MAX_STARTS) throw new Unbounded();
  return [...byKey.values()];
}

const EMPTY: Start = { steps: [], atStart: false };

/** The starts of `first` followed by `then`, cut at START_DEPTH steps. */
function concat(first: readonly Start[], then: readonly Start[]): Start[] {
  const joined: Start[] = [];
  for (const head of first) {
    if (head.steps.length >= START_DEPTH) {
      joined.push(head);
      continue;
    }
    for (const tail of then) {
      // Without the `m` flag, `^` after a character never holds.
      if (tail.atStart && head.steps.length > 0) continue;
      joined.push({
        steps: [...head.steps, ...tail.steps].slice(0, START_DEPTH),
        atStart: head.atStart || tail.atStart,
      });
    }
  }
  return distinct(joined);
}

function alternatives(nodes: readonly AST.Alternative[], context: Context): Start[] {
  return distinct(nodes.flatMap((node) => sequence(node.elements, context)));
}

function sequence(elements: readonly AST.Element[], context: Context): Start[] {
  let starts: Start[] = [EMPTY];
  for (const element of elements) {
    starts = concat(starts, startsOf(element, context));
    if (starts.every((start) => start.steps.length >= START_DEPTH)) break;
  }
  return starts;
}

function repeated(node: AST.Quantifier, context: Context): Start[] {
  const once = startsOf(node.element, context);
  const found: Start[] = node.min === 0 ? [EMPTY] : [];
  let current: Start[] = [EMPTY];
  let previous = keyOfAll(current);
  for (let count = 1; count <= node.max; count++) {
    if (count > MAX_REPEATS) throw new Unbounded();
    current = concat(current, once);
    const key = keyOfAll(current);
    // From here on every further count gives the same starts: they are those of the minimum.
    if (key === previous || count >= node.min) found.push(...current);
    if (key === previous) break;
    previous = key;
  }
  return distinct(found);
}

function keyOfAll(starts: readonly Start[]): string {
  return starts.map(keyOf).sort().join('\n');
}

/**
 * One character of the pattern as a start. With the `u` flag, a set that is not listed may
 * match a character of two code units, after which the steps no longer line up with the text's
 * code units: nothing after it is known.
 */
function step(set: CharSet, context: Context): Start {
  const steps = set.any && context.unicode ? new Array<CharSet>(START_DEPTH).fill(ANY) : [set];
  return { steps, atStart: false };
}

function startsOf(node: AST.Element, context: Context): Start[] {
  switch (node.type) {
    case 'Character':
      return [step(charsFor([node.value], context), context)];
    case 'CharacterSet':
      if (node.kind === 'any' || node.kind === 'property') return [step(ANY, context)];
      return [step(escapeSet(node, context), context)];
    case 'CharacterClass':
      return [step(classSet(node, context), context)];
    case 'Assertion':
      // `^` holds at the text's start only; every other assertion reads without consuming, so
      // leaving it out only lets more places through.
      if (node.kind === 'start' && !context.multiline) return [{ steps: [], atStart: true }];
      return [EMPTY];
    case 'Group':
      if (node.modifiers !== null) throw new Unbounded();
      return alternatives(node.alternatives, context);
    case 'CapturingGroup':
      return alternatives(node.alternatives, context);
    case 'Quantifier':
      return repeated(node, context);
    default:
      // Back-references and the `v` flag's set operations.
      throw new Unbounded();
  }
}

/**
 * The starts of every match of `pattern`, or undefined when its syntax does not bound them
 * (or when its flags make a search differ from trying the positions one by one: `g` and `y`
 * read `lastIndex`; `v` sets are not read here, nor is `i` with `u`, which folds more
 * characters together than ASCII's two cases).
 */
export function analyseStarts(pattern: RegExp): StartAnalysis | undefined {
  if (/[gyv]/.test(pattern.flags) || /i.*u|u.*i/.test(pattern.flags)) return undefined;
  let literal: AST.RegExpLiteral;
  try {
    literal = parseRegExpLiteral(pattern);
  } catch {
    return undefined;
  }
  const context = {
    ignoreCase: literal.flags.ignoreCase,
    multiline: literal.flags.multiline,
    unicode: literal.flags.unicode,
  };
  let found: Start[];
  try {
    found = alternatives(literal.pattern.alternatives, context);
  } catch (error) {
    if (error instanceof Unbounded) return undefined;
    throw error;
  }
  const starts = found.filter((start) => !start.atStart);
  if (starts.some((start) => start.steps[0] === undefined || start.steps[0].any)) return undefined;
  // With `u`, exec never starts inside a surrogate pair, where a sticky copy could: no start
  // may begin with a surrogate code unit.
  const surrogate = (code: number) => code >= 0xd800 && code <= 0xdfff;
  if (context.unicode && starts.some((start) => start.steps[0]?.chars.some(surrogate))) {
    return undefined;
  }
  return { starts, atTextStart: found.some((start) => start.atStart) };
}

/** A start written out for the tests: `ign`, `[ab]c`, `\s` for `\s`, `.` for any character. */
export function describeStart(start: Start): string {
  const spaces = setOf(SPACE_CODES);
  return start.steps
    .map((set) => {
      if (set.any) return '.';
      if (set === spaces) return '\\s';
      const chars = set.chars.map((code) => String.fromCharCode(code)).join('');
      return set.chars.length === 1 ? chars : `[${chars}]`;
    })
    .join('');
}

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
