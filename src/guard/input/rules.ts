import { compactForm } from './features.js';
import { weightFor, type InjectionRule } from './rule-types.js';
import { EXTRACTION_RULES, COMPACT_EXTRACTION_RULES } from './rules-extraction.js';
import { HIJACK_RULES } from './rules-hijack.js';
import { COMPACT_OTHER_LANGUAGE_RULES, OTHER_LANGUAGE_RULES } from './rules-languages.js';
import { COMPACT_OVERRIDE_RULES, OVERRIDE_RULES } from './rules-override.js';
import { COMPACT_ROLE_RULES, ROLE_RULES } from './rules-role.js';
import { DELIMITER_RULES, EMBEDDED_RULES, ENCODED_RULES } from './rules-structure.js';
import type { InjectionSource } from './types.js';

/** Every rule, in the order reasons are reported. */
export const INJECTION_RULES: readonly InjectionRule[] = [
  ...OVERRIDE_RULES,
  ...HIJACK_RULES,
  ...OTHER_LANGUAGE_RULES,
  ...ROLE_RULES,
  ...EXTRACTION_RULES,
  ...DELIMITER_RULES,
  ...ENCODED_RULES,
  ...EMBEDDED_RULES,
  ...COMPACT_OVERRIDE_RULES,
  ...COMPACT_ROLE_RULES,
  ...COMPACT_EXTRACTION_RULES,
  ...COMPACT_OTHER_LANGUAGE_RULES,
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

// Anchors in scripts that space their words (Latin, Cyrillic, Greek) are found by the word
// scan below; those in scripts that do not (Chinese, Japanese, Korean, Arabic's joined
// prefixes) are looked for as literals: `\b` never holds around their letters.
const WORD_ONLY = /^[\p{Script=Latin}\p{Script=Cyrillic}\p{Script=Greek}]+$/u;

// One pass finds which anchor words the text holds: far cheaper than splitting it into words.
const ANCHOR_WORDS = [
  ...new Set(
    INJECTION_RULES.flatMap((rule) => rule.anchors ?? []).filter((anchor) =>
      WORD_ONLY.test(anchor),
    ),
  ),
].sort((a, b) => b.length - a.length);
// Anchors must be found wherever a rule can match, so they are searched for inside words too:
// `hiddenprompt`, `geminis`, `äignore` (`\b` holds between `ä` and `i`) are matched by rules. Only
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

function anchorWords(text: string): Set<string> {
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
function anchored(rule: InjectionRule, text: string, words: ReadonlySet<string>): boolean {
  const anchors = ANCHORS.get(rule);
  if (rule.anchors === undefined || anchors === undefined) return true;
  return (
    anchors.words.some((word) => words.has(word)) ||
    anchors.literals.some((literal) => text.includes(literal))
  );
}

function matchRule(rule: InjectionRule, text: string, source: InjectionSource) {
  const weight = weightFor(rule, source);
  if (weight === 0) return undefined;
  const match = rule.pattern.exec(text);
  if (match === null) return undefined;
  const quoted = !rule.compact && isQuoted(text, match.index);
  const excerpt = match[0].trim().slice(0, 120);
  return { rule: rule.id, weight: quoted ? weight * QUOTED_FACTOR : weight, excerpt };
}

/**
 * Runs the rules over normalised text. Compact-form rules run only when `spaced` is set:
 * without word breaks they would match across innocent word pairs.
 */
export function matchRules(
  text: string,
  options: { source: InjectionSource; spaced: boolean; nativeOnly?: boolean },
): RuleMatch[] {
  const compact = options.spaced ? compactForm(text) : '';
  const words = anchorWords(text);
  const matches: RuleMatch[] = [];
  for (const rule of INJECTION_RULES) {
    if (rule.compact && !options.spaced) continue;
    if (options.nativeOnly === true && rule.native !== true) continue;
    if (!anchored(rule, text, words)) continue;
    const found = matchRule(rule, rule.compact ? compact : text, options.source);
    if (found !== undefined) matches.push(found);
  }
  return matches;
}
