import { shippedClassifier, type InjectionClassifier } from './classifier.js';
import { matchHiddenText } from './hidden-text.js';
import { MAX_INPUT, normaliseForDetection } from './normalise.js';
import { matchRules, type RuleMatch } from './rules.js';
import { spacedOut } from './spaced-other.js';
import type {
  InjectionDetector,
  InjectionDetectorOptions,
  InjectionReason,
  InjectionSource,
  InjectionVerdict,
} from './types.js';

// Tool results and memories are data: the bar for an instruction inside them is lower.
const DATA_THRESHOLD_SHIFT = 0.1;
// The classifier is named as a reason once it is more sure than not.
const CLASSIFIER_REASON_FLOOR = 0.5;
// A handful of words is too few n-grams to judge by: "who are you?" scored as an attack. Below
// this many words the classifier's say is scaled down; the rules still judge short text alone.
const SHORT_TEXT_WORDS = 8;

const TOKEN = /\S+/g;
const WORDLIKE = /[\p{L}\p{N}]/u;

/** The classifier's probability, discounted for text too short for it to judge. */
function classifierWeight(text: string): number {
  // Counting stops at SHORT_TEXT_WORDS: past it the weight is 1 however long the text is. A
  // token counts when it holds a letter or a digit; one pattern for both went back and forth
  // over a long run of punctuation (64 KB of `!` took three seconds).
  let words = 0;
  TOKEN.lastIndex = 0;
  for (let token = TOKEN.exec(text); token !== null && words < SHORT_TEXT_WORDS;) {
    if (WORDLIKE.test(token[0])) words++;
    token = TOKEN.exec(text);
  }
  return words / SHORT_TEXT_WORDS;
}

interface Evidence {
  rules: (RuleMatch & { decoded: boolean })[];
  probability: number;
}

function gather(text: string, source: InjectionSource, classifier: InjectionClassifier) {
  const normalised = normaliseForDetection(text);
  const spaced = normalised.transforms.includes('spaced') || spacedOut(normalised.text);
  const evidence: Evidence = { rules: [], probability: 0 };
  const hidden = matchHiddenText(text);
  if (hidden !== undefined) evidence.rules.push({ ...hidden, decoded: false });
  const views = [normalised.text, ...normalised.views, ...normalised.decoded];
  const firstDecoded = 1 + normalised.views.length;
  for (const [index, view] of views.entries()) {
    for (const match of matchRules(view, { source, spaced })) {
      evidence.rules.push({ ...match, decoded: index >= firstDecoded });
    }
    const probability = classifier.probability(view) * classifierWeight(view);
    evidence.probability = Math.max(evidence.probability, probability);
  }
  for (const native of normalised.natives) {
    const options = { source, spaced: spacedOut(native.text), nativeOnly: true };
    for (const match of matchRules(native.text, options)) {
      evidence.rules.push({ ...match, decoded: native.decoded });
    }
  }
  const transforms = normalised.transforms;
  // The rules read a copy with the diacritics off Latin letters (fold-latin.ts): a match that
  // needed the copy read through accents.
  if (evidence.rules.some((match) => match.folded === true)) transforms.push('accents');
  return { evidence, transforms };
}

function reasonsFor(evidence: Evidence): InjectionReason[] {
  const strongest = new Map<string, Evidence['rules'][number]>();
  for (const match of evidence.rules) {
    const known = strongest.get(match.rule);
    if (known === undefined || match.weight > known.weight) strongest.set(match.rule, match);
  }
  const reasons = [...strongest.values()].map((match) => ({
    rule: match.rule,
    detail: match.decoded ? `decoded payload: "${match.excerpt}"` : `"${match.excerpt}"`,
  }));
  if (evidence.probability >= CLASSIFIER_REASON_FLOOR || reasons.length === 0) {
    reasons.push({ rule: 'classifier', detail: `probability ${evidence.probability.toFixed(3)}` });
  }
  return reasons;
}

/** Of a text longer than this, only the first part and the last MAX_INPUT are read. */
export const MAX_SCREENED = 256 * 1024;
// Windows overlap by this much, so a phrase across a window's end is read whole in the next.
const WINDOW_OVERLAP = 2 * 1024;

/**
 * The windows a long text is read in, each at most MAX_INPUT (what one reading takes in): the
 * whole text up to MAX_SCREENED, else its first MAX_SCREENED - MAX_INPUT characters and its last
 * MAX_INPUT. Every window is checked, so an instruction in the middle of a long message or web
 * page is read; past MAX_SCREENED, the middle is not (the cost of a check grows with the text).
 */
function windowsOf(text: string): string[] {
  if (text.length <= MAX_INPUT) return [text];
  const headEnd = text.length <= MAX_SCREENED ? text.length : MAX_SCREENED - MAX_INPUT;
  const windows: string[] = [];
  for (let start = 0; start < headEnd; start += MAX_INPUT - WINDOW_OVERLAP) {
    windows.push(text.slice(start, Math.min(headEnd, start + MAX_INPUT)));
    if (start + MAX_INPUT >= headEnd) break;
  }
  if (headEnd < text.length) windows.push(text.slice(text.length - MAX_INPUT));
  return windows;
}

/**
 * The text of a value that should be a string. A `String` object (`new String(…)`) is read
 * through the built-in `valueOf`, which runs no code of the caller's; anything else reads as
 * empty, never through its own `toString`, which a hostile value could make return one text to
 * the check and another to whatever uses it next.
 */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Object.prototype.toString.call(value) !== '[object String]') return '';
  try {
    return String.prototype.valueOf.call(value);
  } catch {
    // A proxy or an object that only claims the String tag through Symbol.toStringTag.
    return '';
  }
}

/** A detector over a given classifier; {@link createInjectionDetector} uses the shipped one. */
export function createDetectorWith(
  classifier: InjectionClassifier,
  threshold: number,
): InjectionDetector {
  const checkWindow = (text: string, source: InjectionSource): InjectionVerdict => {
    const { evidence, transforms } = gather(text, source, classifier);
    const ruleScore = Math.max(0, ...evidence.rules.map((match) => match.weight));
    const score = 1 - (1 - ruleScore) * (1 - evidence.probability);
    const bar = source === 'user' ? threshold : threshold - DATA_THRESHOLD_SHIFT;
    const attack = score >= bar;
    return {
      attack,
      score: Math.round(score * 10_000) / 10_000,
      reasons: attack ? reasonsFor(evidence) : [],
      transforms,
    };
  };
  return {
    check(text, source = 'user') {
      // There is always a first window, the whole text when it is short.
      const [first = '', ...rest] = windowsOf(textOf(text));
      let strongest = checkWindow(first, source);
      for (const window of rest) {
        if (strongest.attack) break;
        const verdict = checkWindow(window, source);
        if (verdict.score > strongest.score) strongest = verdict;
      }
      return strongest;
    },
  };
}

/** Creates a detector with the shipped classifier and its tuned threshold. */
export function createInjectionDetector(options: InjectionDetectorOptions = {}): InjectionDetector {
  const classifier = shippedClassifier();
  return createDetectorWith(classifier, options.threshold ?? classifier.threshold);
}
