import { compactForm } from './features.js';
import { foldLatin, writtenSpan, type Folding } from './fold-latin.js';
import { weightFor, type InjectionRule } from './rule-types.js';
import {
  COMPACT_EXTRACTION_RULES,
  EXTRACTION_RULES,
  RESHAPED_EXTRACTION_RULES,
} from './rules-extraction.js';
import { HIJACK_RULES } from './rules-hijack.js';
import { COMPACT_OTHER_LANGUAGE_RULES, OTHER_LANGUAGE_RULES } from './rules-languages.js';
import { OTHER_LANGUAGE_ROLE_RULES } from './rules-languages-roles.js';
import {
  MORE_CYRILLIC_RULES,
  MORE_LANGUAGE_RULES,
  MORE_SCRIPT_RULES,
} from './rules-languages-more.js';
import { COMPACT_OVERRIDE_RULES, OVERRIDE_RULES, STANDING_ORDER_RULES } from './rules-override.js';
import { PIVOT_RULES, PLANTED_RULES } from './rules-pivot.js';
import { PLAIN_WORD_RULES, PLAIN_WORD_RULES_DE } from './rules-plain-words.js';
import { COMPACT_ROLE_RULES, ROLE_RULES, RULELESS_ROLE_RULES } from './rules-role.js';
import { DELIMITER_RULES, EMBEDDED_RULES, ENCODED_RULES } from './rules-structure.js';
import { StartScanner } from './start-scanner.js';
import type { InjectionSource } from './types.js';

/** Every rule, in the order reasons are reported. */
export const INJECTION_RULES: readonly InjectionRule[] = [
  ...OVERRIDE_RULES,
  ...STANDING_ORDER_RULES,
  ...HIJACK_RULES,
  ...PIVOT_RULES,
  ...PLAIN_WORD_RULES,
  ...PLAIN_WORD_RULES_DE,
  ...OTHER_LANGUAGE_RULES,
  ...OTHER_LANGUAGE_ROLE_RULES,
  ...MORE_LANGUAGE_RULES,
  ...MORE_CYRILLIC_RULES,
  ...MORE_SCRIPT_RULES,
  ...ROLE_RULES,
  ...RULELESS_ROLE_RULES,
  ...EXTRACTION_RULES,
  ...RESHAPED_EXTRACTION_RULES,
  ...DELIMITER_RULES,
  ...ENCODED_RULES,
  ...EMBEDDED_RULES,
  ...PLANTED_RULES,
  ...COMPACT_OVERRIDE_RULES,
  ...COMPACT_ROLE_RULES,
  ...COMPACT_EXTRACTION_RULES,
  ...COMPACT_OTHER_LANGUAGE_RULES,
];

/** A rule that matched, with the weight it carries for this text. */
export interface RuleMatch {
  rule: string;
  weight: number;
  /** The matched words as written. */
  excerpt: string;
  /** Set when the match needed letters' diacritics taken off (see fold-latin.ts). */
  folded?: true;
}

// A trigger phrase inside quotation marks is usually being talked about ("what does 'ignore
// previous instructions' mean?"), so it counts for less than a third: alone it stays well
// under any threshold, and only a classifier that is fairly sure on its own can lift it over.
const QUOTED_FACTOR = 0.3;
const OPENING_QUOTE = /(?:^|[\s(:])['"]/g;
const CLOSING_QUOTE = /(?<=[^\s(:])['"](?=[\s.,!?):;]|$)/g;

// A phrase being talked about sits right after its opening quote ("what does 'ignore previous
// instructions' mean?"). Words deep inside a quoted passage are a document the user pasted (an
// email to summarise, a page to translate), and an instruction planted there is the attack.
const MENTION_REACH = 48;

function isQuoted(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index) + 1;
  const from = Math.max(lineStart, index - 200);
  const before = text.slice(from, index);
  let opened = 0;
  let lastOpening = -1;
  OPENING_QUOTE.lastIndex = 0;
  for (let found = OPENING_QUOTE.exec(before); found !== null; found = OPENING_QUOTE.exec(before)) {
    opened += 1;
    lastOpening = found.index;
  }
  const closed = before.match(CLOSING_QUOTE)?.length ?? 0;
  if (opened <= closed || before.length - lastOpening > MENTION_REACH) return false;
  // A mention is quoted whole: a quotation mark opened and never closed on its line is a stray
  // mark, and a stray mark put before an attack must not discount it.
  const lineEnd = text.indexOf('\n', index);
  const after = text.slice(index, lineEnd < 0 ? Math.min(text.length, index + 400) : lineEnd);
  CLOSING_QUOTE.lastIndex = 0;
  return CLOSING_QUOTE.test(after);
}

// Anchors in scripts that space their words (Latin, Cyrillic, Greek) are found by the word
// scan below; those in scripts that do not (Chinese, Japanese, Korean, Arabic's joined
// prefixes) are looked for as literals: `\b` never holds around their letters.
const WORD_ONLY = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]+$/u;

// One pass finds which anchor words the text holds: far cheaper than splitting it into words.
export const ANCHOR_WORDS = [
  ...new Set(
    INJECTION_RULES.flatMap((rule) => rule.anchors ?? []).filter((anchor) =>
      WORD_ONLY.test(anchor),
    ),
  ),
].sort((a, b) => b.length - a.length);
// Anchors must be found wherever a rule can match, so they are searched for inside words too:
// `hiddenprompt`, `geminis`, `øignore` (`\b` holds between `ø` and `i`) are matched by rules. Only
// the shortest must start a word (`ai`, `now`, `end`), or they would be found in most words.
const SHORT_ANCHOR = 4;
const ANCHOR_PATTERN = new RegExp(
  `(?:${ANCHOR_WORDS.filter((word) => word.length >= SHORT_ANCHOR).join('|')})` +
    `|\\b(?:${ANCHOR_WORDS.filter((word) => word.length < SHORT_ANCHOR).join('|')})`,
  'g',
);
// The anchors each anchor starts with: found at one place, the longest hides the rest.
const PREFIXES = new Map(
  ANCHOR_WORDS.map((word) => [
    word,
    ANCHOR_WORDS.filter((other) => other !== word && word.startsWith(other)),
  ]),
);

/** The anchor words the text holds. */
export function anchorWords(text: string): Set<string> {
  const found = new Set<string>();
  ANCHOR_PATTERN.lastIndex = 0;
  for (let match = ANCHOR_PATTERN.exec(text); match !== null; match = ANCHOR_PATTERN.exec(text)) {
    found.add(match[0]);
    for (const prefix of PREFIXES.get(match[0]) ?? []) found.add(prefix);
    // The next anchor may start inside this one (`systemprompt` holds `prompt`).
    ANCHOR_PATTERN.lastIndex = match.index + 1;
  }
  return found;
}

// The longer anchors each short one begins: where one of them is found, the scan above counts
// the short anchor too, whether or not a word starts there.
const LONGER = new Map(
  ANCHOR_WORDS.filter((word) => word.length < SHORT_ANCHOR).map((word) => [
    word,
    ANCHOR_WORDS.filter((other) => other.length >= SHORT_ANCHOR && other.startsWith(word)),
  ]),
);

/** A character `\b` counts as part of a word without the `u` flag: ASCII letters, digits, `_`. */
function isWordCode(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f
  );
}

/**
 * Whether {@link anchorWords} finds the anchor word `word` in the text, without scanning for
 * all of them: a long anchor anywhere; a short one where `\b` holds before it, or where one of
 * the longer anchors it begins is found.
 */
export function holdsAnchor(text: string, word: string): boolean {
  if (word.length >= SHORT_ANCHOR) return text.includes(word);
  const longer = LONGER.get(word) ?? [];
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const before = at > 0 && isWordCode(text.charCodeAt(at - 1));
    if (before !== isWordCode(text.charCodeAt(at))) return true;
    if (longer.some((long) => text.startsWith(long, at))) return true;
  }
  return false;
}

interface AnchorWords {
  has(word: string): boolean;
}

/** {@link anchorWords} read one word at a time, for a text where few words are asked about. */
function lazyAnchorWords(text: string): AnchorWords {
  const known = new Map<string, boolean>();
  return {
    has(word) {
      let held = known.get(word);
      if (held === undefined) {
        held = holdsAnchor(text, word);
        known.set(word, held);
      }
      return held;
    },
  };
}

const ANCHORS = new Map(
  INJECTION_RULES.map((rule) => [
    rule,
    {
      words: (rule.anchors ?? []).filter((anchor) => WORD_ONLY.test(anchor)),
      literals: (rule.anchors ?? []).filter((anchor) => !WORD_ONLY.test(anchor)),
    },
  ]),
);

/** True when the text holds one of the rule's anchors, or the rule has none. */
function anchored(rule: InjectionRule, text: string, words: AnchorWords): boolean {
  const anchors = ANCHORS.get(rule);
  if (rule.anchors === undefined || anchors === undefined) return true;
  return (
    anchors.words.some((word) => words.has(word)) ||
    anchors.literals.some((literal) => text.includes(literal))
  );
}

/** A text as the rules read it, and as it was written. */
interface Reading {
  text: string;
  written: string;
  /** Set when `text` is the folded copy of `written` (see fold-latin.ts). */
  folding?: Folding;
}

function matchRule(
  rule: InjectionRule,
  reading: Reading,
  subject: string,
  source: InjectionSource,
) {
  const weight = weightFor(rule, source);
  if (weight === 0) return undefined;
  const match = rule.pattern.exec(subject);
  if (match === null) return undefined;
  return found(rule, weight, reading, subject, match);
}

// Copies of the rules' patterns that tell whether a match needed the folding: sticky, to try
// at one place of the text as written; plain, to search its compact form.
const STICKY = new WeakMap<InjectionRule, RegExp>();
const PLAIN = new WeakMap<InjectionRule, RegExp>();

/** Whether `rule` matches the text as written where its match in the folded copy begins. */
function matchesAsWritten(rule: InjectionRule, written: string, at: number): boolean {
  if (rule.compact === true) {
    const plain = PLAIN.get(rule) ?? new RegExp(rule.pattern.source, rule.pattern.flags);
    PLAIN.set(rule, plain);
    return plain.test(compactForm(written));
  }
  const sticky = STICKY.get(rule) ?? new RegExp(rule.pattern.source, `${rule.pattern.flags}y`);
  STICKY.set(rule, sticky);
  sticky.lastIndex = at;
  return sticky.test(written);
}

function found(
  rule: InjectionRule,
  weight: number,
  reading: Reading,
  subject: string,
  match: RegExpExecArray,
): RuleMatch {
  const quoted = !rule.compact && isQuoted(subject, match.index);
  let excerpt = match[0];
  let folded = false;
  if (reading.folding !== undefined && reading.text !== reading.written) {
    // The words as written, which the reason quotes; the compact form (letters only) cannot be
    // lined up with the text.
    const [start, end] = rule.compact
      ? [0, 0]
      : writtenSpan(reading.folding, match.index, match.index + excerpt.length);
    if (!rule.compact) excerpt = reading.written.slice(start, end);
    folded =
      (rule.compact || excerpt !== match[0]) && !matchesAsWritten(rule, reading.written, start);
  }
  return {
    rule: rule.id,
    weight: quoted ? weight * QUOTED_FACTOR : weight,
    excerpt: excerpt.trim().slice(0, 120),
    ...(folded ? { folded: true as const } : {}),
  };
}

/** What a reading of the rules is for: whose text, spaced out or not, Cyrillic as written. */
export interface RuleOptions {
  source: InjectionSource;
  spaced: boolean;
  nativeOnly?: boolean;
}

// Rules written with letters outside ASCII (French, German, Russian, Vietnamese ...) read the
// text as written too, where their accents are; every rule reads the folded copy.
const NOT_ASCII = /[^\t\n\r\x20-\x7e]|\\u(?!00[0-7])|\\x[89a-f]/i;
const WRITTEN_SCRIPT_RULES = INJECTION_RULES.filter((rule) => NOT_ASCII.test(rule.pattern.source));

/**
 * {@link matchRules} searching every pattern over the whole text: what the start tables must
 * agree with, kept for the tests that compare the two.
 */
export function matchRulesFullScan(text: string, options: RuleOptions): RuleMatch[] {
  const folding = foldLatin(text);
  const reading = { text: folding.text, written: text, folding };
  const plain = searchWhole(INJECTION_RULES, reading, options, anchorWords(folding.text));
  if (folding.text === text) return plain;
  const asWritten = { text, written: text };
  return [...plain, ...searchWhole(WRITTEN_SCRIPT_RULES, asWritten, options, anchorWords(text))];
}

/** `rules`, each searched over the whole text by the engine, in order. */
function searchWhole(
  rules: readonly InjectionRule[],
  reading: Reading,
  options: RuleOptions,
  words: AnchorWords,
): RuleMatch[] {
  const { text } = reading;
  const compact = options.spaced ? compactForm(text) : '';
  const matches: RuleMatch[] = [];
  for (const rule of rules) {
    if (rule.compact && !options.spaced) continue;
    if (options.nativeOnly === true && rule.native !== true) continue;
    if (!anchored(rule, text, words)) continue;
    const match = matchRule(rule, reading, rule.compact ? compact : text, options.source);
    if (match !== undefined) matches.push(match);
  }
  return matches;
}

// The first anchor word of any rule, as `anchorWords` finds them, and the literal anchors.
const ANY_ANCHOR_WORD = new RegExp(ANCHOR_PATTERN.source);
const LITERAL_ANCHORS = [...new Set([...ANCHORS.values()].flatMap((anchors) => anchors.literals))];

/**
 * Whether the text holds an anchor of some rule. When it holds none, no rule with anchors can
 * count a match, and the few rules without are searched whole by the engine (see
 * `searchWhole`): one early-stopping scan and a handful of searches instead of the start
 * scan, which reads every character and costs most on text in other scripts (Russian folded
 * into Latin look-alikes offers a start at nearly every letter).
 */
function holdsAnyAnchor(text: string): boolean {
  return ANY_ANCHOR_WORD.test(text) || LITERAL_ANCHORS.some((literal) => text.includes(literal));
}

const NO_WORDS: AnchorWords = { has: () => false };
const SOURCES: readonly InjectionSource[] = ['user', 'tool', 'memory'];

/**
 * Rules read together: those over the text and those over its compact form are searched in
 * two passes, each trying a pattern only where its match can start (see rule-starts.ts).
 */
class RuleSet {
  private readonly textScanner: StartScanner;
  private readonly compactScanner: StartScanner;
  /** Per source, and for native-only reading, the rules of each pass that are read at all. */
  private readonly wanted: Map<string, { text: boolean[]; compact: boolean[] }>;
  /** Where each rule's leftmost match is found: its pass, its place in it, if searched there. */
  private readonly places: Map<InjectionRule, { index: number; scanned: boolean }>;
  /** For a text that holds no anchor: only the rules without any can match. */
  private readonly unanchored: readonly InjectionRule[];

  constructor(readonly rules: readonly InjectionRule[]) {
    const textRules = rules.filter((rule) => !rule.compact);
    const compactRules = rules.filter((rule) => rule.compact === true);
    this.textScanner = new StartScanner(textRules.map((rule) => rule.pattern));
    this.compactScanner = new StartScanner(compactRules.map((rule) => rule.pattern));
    this.wanted = new Map(
      SOURCES.flatMap((source) =>
        [false, true].map((nativeOnly) => {
          const wanted = (rule: InjectionRule) =>
            weightFor(rule, source) > 0 && (!nativeOnly || rule.native === true);
          const key = `${source}${nativeOnly ? ':native' : ''}`;
          return [key, { text: textRules.map(wanted), compact: compactRules.map(wanted) }];
        }),
      ),
    );
    this.places = new Map(
      rules.map((rule) => {
        const index = (rule.compact ? compactRules : textRules).indexOf(rule);
        const scanner = rule.compact ? this.compactScanner : this.textScanner;
        return [rule, { index, scanned: scanner.bounded[index] === true }];
      }),
    );
    this.unanchored = rules.filter((rule) => rule.anchors === undefined);
  }

  read(reading: Reading, options: RuleOptions): RuleMatch[] {
    const { text } = reading;
    const compact = options.spaced ? compactForm(text) : '';
    if (!holdsAnyAnchor(text)) return searchWhole(this.unanchored, reading, options, NO_WORDS);
    const key = `${options.source}${options.nativeOnly === true ? ':native' : ''}`;
    const wanted = this.wanted.get(key);
    const inText = this.textScanner.firstMatches(text, wanted?.text ?? []);
    const inCompact = options.spaced
      ? this.compactScanner.firstMatches(compact, wanted?.compact ?? [])
      : [];
    // The anchors are only needed once a pattern matched, which most texts never reach, and
    // then only those of the rules that matched.
    const words = lazyAnchorWords(text);
    const matches: RuleMatch[] = [];
    for (const rule of this.rules) {
      if (rule.compact && !options.spaced) continue;
      if (options.nativeOnly === true && rule.native !== true) continue;
      const weight = weightFor(rule, options.source);
      if (weight === 0) continue;
      const subject = rule.compact ? compact : text;
      const place = this.places.get(rule);
      if (place === undefined) continue;
      let match: RegExpExecArray | null;
      if (place.scanned) {
        match = (rule.compact ? inCompact : inText)[place.index] ?? null;
        if (match === null) continue;
        if (!anchored(rule, text, words)) continue;
      } else {
        // Searched as before, anchors first: a pattern with state (`g`) is run exactly as often.
        if (!anchored(rule, text, words)) continue;
        match = rule.pattern.exec(subject);
        if (match === null) continue;
      }
      matches.push(found(rule, weight, reading, subject, match));
    }
    return matches;
  }
}

const EVERY_RULE = new RuleSet(INJECTION_RULES);
const WRITTEN_SCRIPT = new RuleSet(WRITTEN_SCRIPT_RULES);

/**
 * Runs the rules over normalised text. Every rule reads it with the diacritics taken off its
 * Latin letters (`ígnóré àll` reads `ignore all`), and, where that changed the text, the rules
 * written in other letters than ASCII read it as written as well. Compact-form rules run only
 * when `spaced` is set: without word breaks they would match across innocent word pairs.
 */
export function matchRules(written: string, options: RuleOptions): RuleMatch[] {
  const folding = foldLatin(written);
  const plain = EVERY_RULE.read({ text: folding.text, written, folding }, options);
  if (folding.text === written) return plain;
  return [...plain, ...WRITTEN_SCRIPT.read({ text: written, written }, options)];
}
