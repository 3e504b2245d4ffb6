import { compactForm } from './features.js';
import { weightFor, type InjectionRule } from './rule-types.js';
import { EXTRACTION_RULES, COMPACT_EXTRACTION_RULES } from './rules-extraction.js';
import { HIJACK_RULES } from './rules-hijack.js';
import { COMPACT_OVERRIDE_RULES, OVERRIDE_RULES } from './rules-override.js';
import { COMPACT_ROLE_RULES, ROLE_RULES } from './rules-role.js';
import { DELIMITER_RULES, EMBEDDED_RULES, ENCODED_RULES } from './rules-structure.js';
import type { InjectionSource } from './types.js';

/** Every rule, in the order reasons are reported. */
export const INJECTION_RULES: readonly InjectionRule[] = [
  ...OVERRIDE_RULES,
  ...HIJACK_RULES,
  ...ROLE_RULES,
  ...EXTRACTION_RULES,
  ...DELIMITER_RULES,
  ...ENCODED_RULES,
  ...EMBEDDED_RULES,
  ...COMPACT_OVERRIDE_RULES,
  ...COMPACT_ROLE_RULES,
  ...COMPACT_EXTRACTION_RULES,
];

/** A rule that matched, with the weight it carries for this text. */
export interface RuleMatch {
  rule: string;
  weight: number;
  excerpt: string;
}

// A trigger phrase inside quotation marks is usually being talked about ("what does 'ignore
// previous instructions' mean?"), so it counts for less than a third: alone it stays well
// under any threshold, and only a classifier that is fairly sure on its own can lift it over.
const QUOTED_FACTOR = 0.3;
const OPENING_QUOTE = /(?:^|[\s(:])['"]/g;
const CLOSING_QUOTE = /(?<=[^\s(:])['"](?=[\s.,!?):;]|$)/g;

function isQuoted(text: string, index: number): boolean {
  const lineStart = text.lastIndexOf('\n', index) + 1;
  const before = text.slice(Math.max(lineStart, index - 200), index);
  const opened = before.match(OPENING_QUOTE)?.length ?? 0;
  const closed = before.match(CLOSING_QUOTE)?.length ?? 0;
  return opened > closed;
}

const WORD_ONLY = /^\p{L}+$/u;

// One pass finds where the text holds each anchor word: far cheaper than splitting it into words.
const ANCHOR_WORDS = [
  ...new Set(
    INJECTION_RULES.flatMap((rule) => rule.anchors ?? []).filter((anchor) =>
      WORD_ONLY.test(anchor),
    ),
  ),
].sort((a, b) => b.length - a.length);
const ANCHOR_PATTERN = new RegExp(`(?<![a-zäöüß])(?:${ANCHOR_WORDS.join('|')})(?![a-zäöüß])`, 'g');

/** Where each anchor of the text starts: words found in one pass, literals when first asked. */
class AnchorIndex {
  readonly #text: string;
  readonly #at = new Map<string, number[]>();

  constructor(text: string) {
    this.#text = text;
    ANCHOR_PATTERN.lastIndex = 0;
    for (let match = ANCHOR_PATTERN.exec(text); match !== null; match = ANCHOR_PATTERN.exec(text)) {
      const known = this.#at.get(match[0]);
      if (known === undefined) this.#at.set(match[0], [match.index]);
      else known.push(match.index);
    }
  }

  hasWord(word: string): boolean {
    return this.#at.has(word);
  }

  /** The starts of an anchor word in the text, in order. */
  word(word: string): readonly number[] {
    return this.#at.get(word) ?? [];
  }

  /** The starts of a literal anchor in the text, in order, searched for when first asked. */
  literal(literal: string): readonly number[] {
    let found = this.#at.get(literal);
    if (found !== undefined) return found;
    found = [];
    for (let at = this.#text.indexOf(literal); at >= 0; at = this.#text.indexOf(literal, at + 1)) {
      found.push(at);
    }
    this.#at.set(literal, found);
    return found;
  }
}

const ANCHORS = new Map(
  INJECTION_RULES.map((rule) => {
    const anchors = rule.anchors ?? [];
    return [
      rule,
      {
        words: anchors.filter((anchor) => WORD_ONLY.test(anchor)),
        literals: anchors.filter((anchor) => !WORD_ONLY.test(anchor)),
        longest: Math.max(0, ...anchors.map((anchor) => anchor.length)),
      },
    ];
  }),
);

/** True when the text holds one of the rule's anchors, or the rule has none. */
function anchored(rule: InjectionRule, text: string, index: AnchorIndex): boolean {
  const anchors = ANCHORS.get(rule);
  if (rule.anchors === undefined || anchors === undefined) return true;
  return (
    anchors.words.some((word) => index.hasWord(word)) ||
    anchors.literals.some((literal) => text.includes(literal))
  );
}

// Texts shorter than this are read whole by every rule: windows would save next to nothing.
const WINDOWED_FROM = 1024;
// How far a match may reach either side of the anchor it holds: about twice the furthest any
// match reached on the evaluation sets and the jailbreak collections (105 characters). A rule
// whose windows would cover more than WINDOWED_SHARE of the text reads it whole instead, which
// is then cheaper.
const REACH = 200;
const WINDOWED_SHARE = 0.8;
// Characters either side of a window that a pattern may look at (`\b`, look-behinds, `$`)
// but not match in: a window reads as it would in the whole text.
const CONTEXT = 32;

/**
 * The stretches of the text a rule needs to read: REACH either side of each of its anchors,
 * merged; undefined when that is most of the text. Every match of a rule holds one of its
 * anchors (that is what makes them anchors), so a match is inside one of these. On a long
 * message full of trigger words this cut the rules' cost by more than half.
 */
function windowsFor(rule: InjectionRule, text: string, index: AnchorIndex) {
  const anchors = ANCHORS.get(rule);
  if (text.length < WINDOWED_FROM || rule.anchors === undefined || anchors === undefined) {
    return undefined;
  }
  const starts: number[] = [];
  for (const word of anchors.words) for (const at of index.word(word)) starts.push(at);
  for (const literal of anchors.literals) for (const at of index.literal(literal)) starts.push(at);
  starts.sort((a, b) => a - b);
  // Every window is as wide as the longest anchor needs: simpler than one width each.
  const after = anchors.longest + REACH;
  const windows: [number, number][] = [];
  let covered = 0;
  for (const at of starts) {
    const start = Math.max(0, at - REACH);
    const end = Math.min(text.length, at + after);
    const last = windows.at(-1);
    if (last !== undefined && start <= last[1]) {
      covered += end - last[1];
      last[1] = end;
    } else {
      windows.push([start, end]);
      covered += end - start;
    }
    if (covered > text.length * WINDOWED_SHARE) return undefined;
  }
  return windows;
}

const GLOBAL = new Map(
  INJECTION_RULES.map((rule) => [rule, new RegExp(rule.pattern.source, `${rule.pattern.flags}g`)]),
);

/** The rule's first match in the text, reading only its windows when it has them. */
function firstMatch(rule: InjectionRule, text: string, index: AnchorIndex) {
  const windows = rule.compact ? undefined : windowsFor(rule, text, index);
  if (windows === undefined) {
    const match = rule.pattern.exec(text);
    return match === null ? undefined : { index: match.index, text: match[0] };
  }
  const pattern = GLOBAL.get(rule) ?? rule.pattern;
  for (const [start, end] of windows) {
    const from = Math.max(0, start - CONTEXT);
    pattern.lastIndex = start - from;
    const match = pattern.exec(text.slice(from, Math.min(text.length, end + CONTEXT)));
    if (match !== null && from + match.index < end) {
      return { index: from + match.index, text: match[0] };
    }
  }
  return undefined;
}

function matchRule(rule: InjectionRule, text: string, source: InjectionSource, index: AnchorIndex) {
  const weight = weightFor(rule, source);
  if (weight === 0) return undefined;
  const match = firstMatch(rule, text, index);
  if (match === undefined) return undefined;
  const quoted = !rule.compact && isQuoted(text, match.index);
  const excerpt = match.text.trim().slice(0, 120);
  return { rule: rule.id, weight: quoted ? weight * QUOTED_FACTOR : weight, excerpt };
}

/**
 * Runs the rules over normalised text. Compact-form rules run only when `spaced` is set:
 * without word breaks they would match across innocent word pairs.
 */
export function matchRules(
  text: string,
  options: { source: InjectionSource; spaced: boolean },
): RuleMatch[] {
  const compact = options.spaced ? compactForm(text) : '';
  const index = new AnchorIndex(text);
  const matches: RuleMatch[] = [];
  for (const rule of INJECTION_RULES) {
    if (rule.compact && !options.spaced) continue;
    if (!anchored(rule, text, index)) continue;
    const found = matchRule(rule, rule.compact ? compact : text, options.source, index);
    if (found !== undefined) matches.push(found);
  }
  return matches;
}
