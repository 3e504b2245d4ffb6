import { compactForm } from './features.js';
import { foldLatin, writtenSpan, type Folding } from './fold-latin.js';
import {
  anchored,
  anchorWords,
  holdsAnyAnchor,
  lazyAnchorWords,
  NO_WORDS,
  type AnchorWords,
} from './rule-anchors.js';
import { INJECTION_RULES } from './rule-catalogue.js';
import { weightFor, type InjectionRule } from './rule-types.js';
import { StartScanner } from './start-scanner.js';
import type { InjectionSource } from './types.js';

export { INJECTION_RULES } from './rule-catalogue.js';
export { ANCHOR_WORDS, anchorWords, holdsAnchor } from './rule-anchors.js';

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

/** A text as the rules read it, and as it was written. */
interface Reading {
  text: string;
  written: string;
  /** Set when `text` is a folded copy that differs from `written` (see fold-latin.ts). */
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
  if (reading.folding !== undefined && rule.compact === true) {
    // The compact form (letters only) cannot be lined up with the text.
    folded = !matchesAsWritten(rule, reading.written, 0);
  } else if (reading.folding !== undefined) {
    // The words as written, which the reason quotes.
    const [start, end] = writtenSpan(reading.folding, match.index, match.index + excerpt.length);
    excerpt = reading.written.slice(start, end);
    folded = excerpt !== match[0] && !matchesAsWritten(rule, reading.written, start);
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
  if (folding.text === text) {
    return searchWhole(INJECTION_RULES, { text, written: text }, options, anchorWords(text));
  }
  const reading = { text: folding.text, written: text, folding };
  const plain = searchWhole(INJECTION_RULES, reading, options, anchorWords(folding.text));
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
// The readings for the `native` rules alone (see `RuleOptions.nativeOnly`) get start tables of
// their own: in the tables of every rule, the places where the others may start are looked up
// and passed over one by one, which cost a reading of Russian text nearly what a full one did.
const isNative = (rule: InjectionRule) => rule.native === true;
const NATIVE = new RuleSet(INJECTION_RULES.filter(isNative));
const NATIVE_WRITTEN_SCRIPT = new RuleSet(WRITTEN_SCRIPT_RULES.filter(isNative));

/**
 * Runs the rules over normalised text. Every rule reads it with the diacritics taken off its
 * Latin letters (`ígnóré àll` reads `ignore all`), and, where that changed the text, the rules
 * written in other letters than ASCII read it as written as well. Compact-form rules run only
 * when `spaced` is set: without word breaks they would match across innocent word pairs.
 */
export function matchRules(written: string, options: RuleOptions): RuleMatch[] {
  const native = options.nativeOnly === true;
  const every = native ? NATIVE : EVERY_RULE;
  const folding = foldLatin(written);
  if (folding.text === written) return every.read({ text: written, written }, options);
  const plain = every.read({ text: folding.text, written, folding }, options);
  const writtenScript = native ? NATIVE_WRITTEN_SCRIPT : WRITTEN_SCRIPT;
  return [...plain, ...writtenScript.read({ text: written, written }, options)];
}
