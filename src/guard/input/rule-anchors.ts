import { INJECTION_RULES } from './rule-catalogue.js';
import type { InjectionRule } from './rule-types.js';

// A rule's match counts only when the text holds one of its anchors, the words no match of it
// can do without (see `anchors` in rule-types.ts). Which anchors a text holds is found here.

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

/** Which anchor words a text holds, asked one word at a time. */
export interface AnchorWords {
  has(word: string): boolean;
}

/** {@link anchorWords} read one word at a time, for a text where few words are asked about. */
export function lazyAnchorWords(text: string): AnchorWords {
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
export function anchored(rule: InjectionRule, text: string, words: AnchorWords): boolean {
  const anchors = ANCHORS.get(rule);
  if (rule.anchors === undefined || anchors === undefined) return true;
  return (
    anchors.words.some((word) => words.has(word)) ||
    anchors.literals.some((literal) => text.includes(literal))
  );
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
export function holdsAnyAnchor(text: string): boolean {
  return ANY_ANCHOR_WORD.test(text) || LITERAL_ANCHORS.some((literal) => text.includes(literal));
}

/** For a text that holds no anchor word at all. */
export const NO_WORDS: AnchorWords = { has: () => false };
