import { parseRegExpLiteral, type AST } from '@eslint-community/regexpp';

// A pattern searched with `exec` is tried at every position of the text, and most of the rules'
// patterns cost a few microseconds each over a few kilobytes that way. Yet a match can only
// start where the text holds one of the few short strings the pattern can begin with. This
// module works those strings out from each pattern's syntax; `start-scanner.ts` finds the
// places the text holds them in one pass for all patterns, and tries each pattern only there,
// with a sticky copy.
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
export interface CharSet {
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
export interface Start {
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

/** The codes from `from` to `to`, both included. */
export function range(from: number, to: number): number[] {
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
  // The rules are read by more than one scanner (rules.ts): each pattern is analysed once.
  if (ANALYSES.has(pattern)) return ANALYSES.get(pattern);
  const analysis = analyse(pattern);
  ANALYSES.set(pattern, analysis);
  return analysis;
}

const ANALYSES = new WeakMap<RegExp, StartAnalysis | undefined>();

function analyse(pattern: RegExp): StartAnalysis | undefined {
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
