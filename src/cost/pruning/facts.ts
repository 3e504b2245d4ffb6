import { textOf, type Message } from '../../core/conversation.js';
import { MONTH_PATTERN, NOT_NAMES } from './fact-words.js';

/**
 * The names, dates and numbers of folded turns, found by plain rules so that they survive
 * whatever the summary model leaves out. Kept beside the model's prose in the running summary.
 */
export type FactKind = 'name' | 'date' | 'number';

/** One fact: how often it was seen, and the history index it was last seen at. */
export interface Fact {
  kind: FactKind;
  value: string;
  count: number;
  last: number;
}

const DAY = String.raw`\d{1,2}(?:st|nd|rd|th)?`;
const YEAR = String.raw`\d{4}`;
const TIME = String.raw`\d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?|\d{1,2}\s?(?:[ap]m|[ap]\.m\.)`;
const DATE_PATTERNS = [
  String.raw`\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?`,
  String.raw`\d{1,2}/\d{1,2}/\d{2,4}`,
  `${DAY}\\s+(?:of\\s+)?${MONTH_PATTERN}(?:,?\\s+${YEAR})?`,
  `${MONTH_PATTERN}\\s+${DAY}(?:,?\\s+${YEAR})?`,
  `${MONTH_PATTERN},?\\s+${YEAR}`,
  TIME,
];
const DATE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${DATE_PATTERNS.join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);
/**
 * A number with its sign, currency, percent or degree sign, an attached magnitude (`2k`), and
 * the word that follows it (its unit or magnitude: `3 bikes`, `$1.5 million`). A sign counts
 * only where it cannot be a hyphen (`-40°C`, not the `-2024` of `INV-2024`).
 */
const NUMBER =
  /(?<![\p{L}\p{N}])((?<![\p{L}\p{N}-])[-−+](?=[$€£¥]?\d))?([$€£¥]?)(\d+(?:[.,]\d+)*)(\s?%|°[CF]?|[kKmMbB](?!\p{L}))?(?:\s+(\p{Ll}{2,20}))?/gu;
const WORD = String.raw`\p{Lu}[\p{L}\p{M}'’-]*`;
const NAME_RUN = new RegExp(`${WORD}(?:\\s${WORD}){0,3}`, 'gu');
/** Shapes of ordinary words: `-ing` forms and long adverbs (`Starting`, `Hopefully`). */
const ORDINARY_SHAPE = /^\p{L}{3,}ing$|^\p{L}{4,}(?:ally|ully|ately|ously|ibly|ably)$/u;

/** A fact as found in one text. */
export interface FoundFact {
  kind: FactKind;
  value: string;
  /**
   * A single capitalised word opening a sentence: as often an ordinary word ("Hopefully") as a
   * name. One shaped like an ordinary word counts only once it is seen inside a sentence too.
   */
  opener?: true;
}

/** Every fact in one text, in order of appearance (repeats included). */
export function extractFacts(text: string): FoundFact[] {
  const found: Array<FoundFact & { at: number }> = [];
  const withoutDates = text.replace(DATE, (match, at: number) => {
    found.push({ kind: 'date', value: tidy(match), at });
    return ' '.repeat(match.length);
  });
  for (const match of withoutDates.matchAll(NUMBER)) {
    found.push({ kind: 'number', value: numberOf(match), at: match.index });
  }
  for (const match of withoutDates.matchAll(NAME_RUN)) {
    const at = match.index;
    const starts = opensSentence(withoutDates, at);
    const name = nameOf(match[0], starts);
    if (name === undefined) continue;
    const opener = starts && !name.includes(' ');
    found.push(
      opener ? { kind: 'name', value: name, at, opener } : { kind: 'name', value: name, at },
    );
  }
  return found.sort((a, b) => a.at - b.at).map(({ at: _at, ...fact }) => fact);
}

/** True when only a sentence boundary, a line break or nothing comes before `at`. */
function opensSentence(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 16), at);
  return before.trim() === '' || SENTENCE_END.test(before);
}

const SENTENCE_END = /(?:[.!?:;"“”([—–]|\n)\s*$/u;

/**
 * The facts of several texts. A sentence-opening word shaped like an ordinary word counts as a
 * name only if `known` holds it or one of the texts has it capitalised inside a sentence; any
 * other name is kept (a name lost costs more than a word too many, which the summary budget
 * drops first as it is seldom repeated).
 */
export function factsOfTexts(texts: readonly string[], known: ReadonlySet<string>): FoundFact[][] {
  const found = texts.map((text) => extractFacts(text));
  const names = new Set(known);
  for (const facts of found) {
    for (const fact of facts) if (fact.kind === 'name' && !fact.opener) names.add(fact.value);
  }
  const kept = (fact: FoundFact) =>
    !fact.opener || names.has(fact.value) || !ORDINARY_SHAPE.test(fact.value);
  return found.map((facts) => facts.filter(kept));
}

/** `3 bikes` keeps its unit; `$1,250` and `42%` say what they count already. */
const MAGNITUDE = /^(?:thousand|million|billion|trillion|bn|mn)$/;

function numberOf(match: RegExpMatchArray): string {
  const [, sign = '', currency = '', digits = '', suffix, unit] = match;
  const value = `${sign}${currency}${digits}${suffix?.trim() ?? ''}`;
  if (unit === undefined || isCommon(unit)) return value;
  // After a sign the next word is no unit ("42% cheaper"); after an amount, only a magnitude is.
  if (suffix !== undefined && !/^[kKmMbB]$/.test(suffix)) return value;
  if (currency !== '' && !MAGNITUDE.test(unit)) return value;
  return `${value} ${unit}`;
}

/**
 * A capitalised run without its leading and trailing common words (and, at a sentence start, a
 * first word shaped like an ordinary one: "Hopefully Rajesh"); undefined when none is left.
 */
function nameOf(run: string, opensSentence: boolean): string | undefined {
  const words = run.split(/\s/u).map((word) => word.replace(/['’]s$/u, ''));
  while (words.length > 0 && isCommon(words[0]!)) words.shift();
  if (opensSentence && words.length > 1 && ORDINARY_SHAPE.test(words[0]!)) words.shift();
  while (words.length > 0 && isCommon(words.at(-1)!)) words.pop();
  if (words.length === 0) return undefined;
  const name = words.join(' ');
  // A lone capital letter (an initial, a list marker) says nothing on its own.
  return name.length < 2 ? undefined : name;
}

/** `they've`, `it'll`, `don't`: contractions open sentences, they never name anyone. */
const CONTRACTION = /(?:['’](?:ll|ve|re|d|m)|n['’]t)$/iu;

function isCommon(word: string): boolean {
  return NOT_NAMES.has(word.toLowerCase()) || CONTRACTION.test(word);
}

function tidy(value: string): string {
  return value.replace(/\s+/gu, ' ').trim();
}

/** The text of a message that facts are taken from: what the user and the assistant said. */
function spokenText(message: Message): string {
  if (message.role === 'user') return textOf(message.content);
  if (message.role === 'assistant') return textOf(message.content);
  return '';
}

/**
 * Adds the facts of `messages` (history indices from `offset`) to `known`. Tool results are
 * left out: their one-line summaries carry what the model needs, and a large result would
 * otherwise flood the list.
 */
export function addFacts(
  known: readonly Fact[],
  messages: readonly Message[],
  offset: number,
): Fact[] {
  const byKey = new Map(known.map((fact) => [`${fact.kind}\u0000${fact.value}`, { ...fact }]));
  const knownNames = new Set(known.filter((f) => f.kind === 'name').map((f) => f.value));
  const found = factsOfTexts(messages.map(spokenText), knownNames);
  found.forEach((facts, index) => {
    for (const { kind, value } of facts) {
      const key = `${kind}\u0000${value}`;
      const fact = byKey.get(key);
      if (fact) {
        fact.count++;
        fact.last = offset + index;
      } else byKey.set(key, { kind, value, count: 1, last: offset + index });
    }
  });
  return [...byKey.values()];
}

/**
 * The facts worth keeping when not all fit: the most often mentioned, then the most recent.
 * Returned in the order they were first kept, so the rendering is stable.
 */
export function keepFacts(facts: readonly Fact[], fits: (kept: Fact[]) => boolean): Fact[] {
  if (fits([...facts])) return [...facts];
  const ranked = [...facts].sort((a, b) => b.count - a.count || b.last - a.last);
  let low = 0;
  let high = ranked.length;
  // The largest prefix of the ranking that fits, found by halving.
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(inOrder(facts, ranked.slice(0, middle)))) low = middle;
    else high = middle - 1;
  }
  return inOrder(facts, ranked.slice(0, low));
}

function inOrder(all: readonly Fact[], chosen: readonly Fact[]): Fact[] {
  const set = new Set(chosen);
  return all.filter((fact) => set.has(fact));
}

/** The facts as one line per kind, for the summary message. */
export function renderFacts(facts: readonly Fact[]): string {
  const lines: string[] = [];
  const labels: Array<[FactKind, string]> = [
    ['name', 'Names'],
    ['date', 'Dates and times'],
    ['number', 'Numbers'],
  ];
  for (const [kind, label] of labels) {
    const values = facts.filter((fact) => fact.kind === kind).map((fact) => fact.value);
    if (values.length > 0) lines.push(`${label}: ${values.join('; ')}`);
  }
  return lines.join('\n');
}
