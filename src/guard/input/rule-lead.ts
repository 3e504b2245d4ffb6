import { parseRegExpLiteral, type AST } from '@eslint-community/regexpp';
import { beginsWithWordCharacter } from './rule-starts.js';

// What a pattern's leading assertions say of the character just before its match: most rules
// begin at a word's start (`\b`, `(?<![\p{L}\p{N}])`, `(?<!\p{L})`) or after a space (a
// look-behind ending in `\s+`), and the places the start tables find (rule-starts.ts) are
// mostly inside words in running text (`ver` in `every`, `a` in `data`), where such a pattern
// was tried only to fail at once. A try costs a call into the engine; reading the character
// before costs a table lookup.
//
// The test answers for one UTF-16 code unit: true when no match can start right after it. It
// says nothing of surrogates (a code point outside the BMP, whose second half a look-behind
// with the `u` flag reads as part of one character) and nothing at the text's first position.

/** True when a match cannot start right after the code unit `code`. */
export type NotAfter = (code: number) => boolean;

const WORD = /\w/;
const SURROGATE_LOW = 0xd800;
const SURROGATE_HIGH = 0xdfff;

/** Answers per code unit, worked out once each by the engine itself: exact by construction. */
class CharTest {
  readonly #pattern: RegExp;
  /** -1 not yet asked, 0 no, 1 yes. */
  readonly #known = new Int8Array(0x10000).fill(-1);

  constructor(source: string, flags: string) {
    this.#pattern = new RegExp(`^(?:${source})$`, flags.replace(/[gy]/g, ''));
  }

  matches(code: number): boolean {
    let known = this.#known[code] ?? 0;
    if (known === -1) {
      known = this.#pattern.test(String.fromCharCode(code)) ? 1 : 0;
      this.#known[code] = known;
    }
    return known === 1;
  }
}

const TESTS = new Map<string, CharTest>();

function charTest(source: string, flags: string): CharTest {
  const key = `${flags}\u0000${source}`;
  let test = TESTS.get(key);
  if (test === undefined) {
    test = new CharTest(source, flags);
    TESTS.set(key, test);
  }
  return test;
}

/**
 * The source of the one character `element` reads, or, repeated at least `least` times and at
 * most `most`, of the character it repeats; undefined for anything else.
 */
function singleCharacter(
  element: AST.Element | undefined,
  least: number,
  most: number,
): string | undefined {
  if (element === undefined) return undefined;
  if (element.type === 'Character' || element.type === 'CharacterClass') return element.raw;
  if (element.type === 'CharacterSet' && element.kind !== 'any') return element.raw;
  if (element.type === 'Quantifier' && element.min >= least && element.min <= most) {
    return singleCharacter(element.element, 1, 1);
  }
  return undefined;
}

/** The pattern's flags, as written and as parsed. */
interface Lead {
  flags: string;
  parsed: AST.Flags;
}

/** Excluded when any of `tests` excludes (each is a condition every match meets). */
function anyOf(tests: readonly NotAfter[]): NotAfter | undefined {
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (code) => tests.some((test) => test(code));
}

/** Excluded when every one of `tests` excludes (each holds for some of the matches only). */
function allOf(tests: readonly (NotAfter | undefined)[]): NotAfter | undefined {
  if (tests.length === 0 || tests.some((test) => test === undefined)) return undefined;
  const known = tests as readonly NotAfter[];
  if (known.length === 1) return known[0];
  return (code) => known.every((test) => test(code));
}

function lookbehindTest(node: AST.LookbehindAssertion, lead: Lead): NotAfter | undefined {
  if (node.negate) {
    // `(?<!X)` with X one character (or `X+`, which holds where X does): a match cannot follow
    // an X. Not `X{2}`, which a single X before does not make hold.
    const only = node.alternatives.length === 1 ? node.alternatives[0]?.elements : undefined;
    const source = only?.length === 1 ? singleCharacter(only[0], 1, 1) : undefined;
    if (source === undefined) return undefined;
    const test = charTest(source, lead.flags);
    return (code) => test.matches(code);
  }
  // `(?<=…Z)` or `(?<=…Z+)`: a match follows a character of the last step of an alternative.
  const lasts = node.alternatives.map((alternative) =>
    singleCharacter(alternative.elements.at(-1), 1, Infinity),
  );
  if (lasts.some((source) => source === undefined)) return undefined;
  const tests = (lasts as string[]).map((source) => charTest(source, lead.flags));
  return (code) => tests.every((test) => !test.matches(code));
}

/** The conditions the leading assertions of `elements` put on the character before a match. */
function leadOf(elements: readonly AST.Element[], lead: Lead): NotAfter | undefined {
  const tests: NotAfter[] = [];
  for (const [index, element] of elements.entries()) {
    if (element.type === 'Assertion') {
      if (element.kind === 'lookbehind') {
        const test = lookbehindTest(element, lead);
        if (test !== undefined) tests.push(test);
      } else if (element.kind === 'word' && !element.negate) {
        // `\b` before a word character: the character before is not one.
        const rest = elements.slice(index + 1);
        if (beginsWithWordCharacter(rest, lead.parsed)) tests.push((code) => isWordCode(code));
      }
      // Look-aheads and `^`/`$` say nothing of the character before.
      continue;
    }
    if (element.type === 'Group' || element.type === 'CapturingGroup') {
      // Every way through the group holds a condition, or the group adds none.
      const inner = allOf(
        element.alternatives.map((alternative) =>
          leadOf([...alternative.elements, ...elements.slice(index + 1)], lead),
        ),
      );
      if (inner !== undefined) tests.push(inner);
    }
    // The first element that reads a character ends the leading assertions.
    break;
  }
  return anyOf(tests);
}

// `\w` without the `u` and `i` flags together (patterns with both are not scanned).
const WORD_CODES = new Uint8Array(128);
for (let code = 0; code < 128; code++)
  WORD_CODES[code] = WORD.test(String.fromCharCode(code)) ? 1 : 0;

function isWordCode(code: number): boolean {
  return code < 128 && WORD_CODES[code] === 1;
}

/**
 * The test of the character before a match of `pattern` (see {@link NotAfter}), or undefined
 * when its leading assertions say nothing of it.
 */
export function notAfterOf(pattern: RegExp): NotAfter | undefined {
  let literal: AST.RegExpLiteral;
  try {
    literal = parseRegExpLiteral(pattern);
  } catch {
    return undefined;
  }
  const lead: Lead = { flags: pattern.flags, parsed: literal.flags };
  const test = allOf(
    literal.pattern.alternatives.map((alternative) => leadOf(alternative.elements, lead)),
  );
  if (test === undefined) return undefined;
  return (code) => (code < SURROGATE_LOW || code > SURROGATE_HIGH) && test(code);
}
