import { textOf, type Message } from '../../core/conversation.js';
import {
  CODE_FENCE,
  DELIVERABLE,
  TECHNICAL_TERM,
  TECHNICAL_TERM_CAP,
  CODE_TOKEN_CAP,
  CODE_TOKENS,
  CONSTRAINT_CAP,
  CONSTRAINTS,
  JOINED_ASK,
  LIST_ITEM,
  MAKE_ASK,
  NUMBER,
  NUMBER_CAP,
  PROSE_LIST,
  REASONING_CAP,
  REASONING_MARKERS,
  SENTENCE_CAP,
  SENTENCE_END,
  SEQUENCE_WORDS,
  STACK_TRACE,
  TOOL_ASK,
  type Marker,
} from './complexity-markers.js';
import { ASK_FORM_CAP, ASK_FORMS } from './complexity-ask-forms.js';
import { mechanicalInstruction } from './complexity-transform.js';
import { wordProblemPoints } from './complexity-word-problem.js';
import { countMatches } from './count-matches.js';
import {
  SUBJECT_AREA_PATTERNS,
  SUBJECT_POINTS_CAP,
  SUBJECT_TERM,
  SUBJECT_TERM_CAP,
  SUBJECT_TERM_POINTS,
} from './complexity-lexicon.js';

/** One feature's share of a complexity score. */
export interface ComplexityReason {
  feature: string;
  /** What was seen, in a few words (never the user's text). */
  detail: string;
  points: number;
}

export interface ComplexityEstimate {
  /** The sum of the reasons' points, rounded to hundredths. */
  score: number;
  reasons: ComplexityReason[];
}

export interface ComplexityInput {
  messages: readonly Message[];
  /** Tools the model may call in this request. */
  toolsOffered: number;
}

/**
 * The text read for markers: the start of a long message and its end (where an ask after a
 * paste sits). A long paste is long whatever its middle holds, and bounding the scan keeps the
 * estimate in microseconds on a 16 MiB body.
 */
export const SCAN_HEAD_CHARS = 2_000;
export const SCAN_TAIL_CHARS = 1_000;
export const SCAN_LIMIT_CHARS = SCAN_HEAD_CHARS + SCAN_TAIL_CHARS;

function scanned(ask: string): string {
  if (ask.length <= SCAN_LIMIT_CHARS) return ask;
  return `${ask.slice(0, SCAN_HEAD_CHARS)}\n${ask.slice(-SCAN_TAIL_CHARS)}`;
}

/**
 * Estimates how hard a request is from the request alone: the last user message's length,
 * reasoning and multi-step markers, the form of its question, the demanding subject matter it
 * names, code, tool need, and how deep the conversation is. The same request always gets the
 * same score, and every point comes with its reason, which never quotes the request.
 */
export function estimateComplexity(input: ComplexityInput): ComplexityEstimate {
  const whole = lastUserText(input.messages);
  const instruction = mechanicalInstruction(scanned(whole));
  // A mechanical task on pasted material is read by its instruction: the paste's length,
  // numbers and terms say nothing of how hard it is to shorten or reorder.
  const ask = instruction ?? whole;
  const text = scanned(ask);
  const reasons: ComplexityReason[] = [];
  const add = (feature: string, detail: string, points: number) => {
    if (points > 0) reasons.push({ feature, detail, points });
  };
  add('length', `${ask.length} chars`, lengthPoints(ask.length));
  if (instruction !== undefined) add('transform', 'a mechanical task on pasted text', 0.5);
  const marked =
    markers('reasoning', REASONING_MARKERS, REASONING_CAP, text, add) +
    markers('ask-form', ASK_FORMS, ASK_FORM_CAP, text, add);
  const terms = subjectMatter(text, add);
  if (terms > 0) dense(text, terms + marked, add);
  multiStep(text, add);
  code(text, add);
  if (MAKE_ASK.test(text)) {
    add('make', 'asks to write or change something', 1);
    if (DELIVERABLE.test(text)) add('deliverable', 'a work product', 1);
  }
  technical(text, add);
  const constraints = countMatches(text, CONSTRAINTS, CONSTRAINT_CAP);
  add('constraints', `${constraints} conditions`, constraints * 0.5);
  const numbers = countMatches(text, NUMBER, NUMBER_CAP);
  if (numbers >= 3) add('numbers', `${numbers} numbers`, Math.min(1.5, numbers * 0.125));
  // Not for a mechanical task on a paste: its quantities are the material's, not a problem's.
  if (instruction === undefined) {
    const problem = wordProblemPoints(text);
    add('word-problem', problem.detail, problem.points);
  }
  if (input.toolsOffered > 0) add('tools-offered', `${input.toolsOffered} tools`, 0.5);
  if (TOOL_ASK.test(text)) add('tool-ask', 'asks for a lookup or a computation', 1);
  const userTurns = input.messages.filter((message) => message.role === 'user').length;
  add('depth', `${userTurns} user messages`, Math.min(2, Math.max(0, userTurns - 3) * 0.25));
  const score = Math.round(reasons.reduce((sum, reason) => sum + reason.points, 0) * 100) / 100;
  return { score, reasons };
}

type Add = (feature: string, detail: string, points: number) => void;

/** Nothing up to a one-line question's length, then a point every 150 characters, at most 3. */
function lengthPoints(chars: number): number {
  return Math.min(3, Math.max(0, Math.round(((chars - 100) / 150) * 4) / 4));
}

/**
 * Adds the points of the markers the text shows, under one feature and up to its cap; returns
 * how many were seen.
 */
function markers(
  feature: string,
  list: readonly Marker[],
  cap: number,
  text: string,
  add: Add,
): number {
  const seen = list.filter((marker) => marker.pattern.test(text));
  const points = seen.reduce((sum, marker) => sum + marker.points, 0);
  add(feature, seen.map((marker) => marker.name).join(', '), Math.min(cap, points));
  return seen.length;
}

/**
 * Terms of demanding subject matter, counted once each; the reason names their fields only.
 * Returns how many distinct terms were seen.
 */
function subjectMatter(text: string, add: Add): number {
  const terms = new Set<string>();
  SUBJECT_TERM.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (terms.size < SUBJECT_TERM_CAP && (match = SUBJECT_TERM.exec(text)))
    terms.add(match[0].toLowerCase());
  SUBJECT_TERM.lastIndex = 0;
  if (terms.size === 0) return 0;
  const areas = new Set<string>();
  for (const term of terms) {
    const area = SUBJECT_AREA_PATTERNS.find((candidate) => candidate.pattern.test(term));
    if (area) areas.add(area.name);
  }
  add(
    'subject-matter',
    `${terms.size} terms: ${[...areas].join(', ')}`,
    Math.min(SUBJECT_POINTS_CAP, terms.size * SUBJECT_TERM_POINTS),
  );
  return terms.size;
}

/** At most this many words is a short ask. */
const SHORT_ASK_WORDS = 25;
const WORD = /\S+/g;

/**
 * A short ask made almost wholly of demanding vocabulary and forms, one of them at least a term
 * of subject matter ("is every continuous function differentiable?"), is hard however few its
 * words: length gives it nothing.
 */
function dense(text: string, signals: number, add: Add) {
  if (signals < 2) return;
  const words = countMatches(text, WORD, SHORT_ASK_WORDS + 1);
  if (words <= SHORT_ASK_WORDS) add('dense', `${signals} signals in ${words} words`, 0.5);
}

function multiStep(text: string, add: Add) {
  const items = countMatches(text, LIST_ITEM, 12);
  if (items >= 2) add('numbered-asks', `${items} list items`, Math.min(3, 1 + (items - 2) * 0.5));
  const words = new Set((text.match(SEQUENCE_WORDS) ?? []).map((word) => word.toLowerCase()));
  if (words.size >= 2) add('sequence', `${words.size} ordering words`, 1);
  const joined = countMatches(text, JOINED_ASK, 4);
  if (joined > 0) add('joined-asks', `${joined} further asks`, Math.min(1.5, joined * 0.75));
  if (PROSE_LIST.test(text)) add('prose-list', 'a list of parts in a sentence', 0.5);
  // Ends followed by more text: the last sentence has none, so two ends make three sentences.
  const sentences = countMatches(text, SENTENCE_END, SENTENCE_CAP) + 1;
  if (sentences >= 3) add('sentences', `${sentences} sentences`, sentences >= 4 ? 1 : 0.5);
  const questions = countMatches(text, /\?/g, 8);
  if (questions >= 2)
    add('questions', `${questions} questions`, Math.min(1.5, (questions - 1) * 0.5));
}

function technical(text: string, add: Add) {
  TECHNICAL_TERM.lastIndex = 0;
  const terms = new Set(text.match(TECHNICAL_TERM) ?? []);
  const distinct = Math.min(TECHNICAL_TERM_CAP, terms.size);
  if (distinct > 0)
    add('technical-terms', `${distinct} acronyms or versions`, distinct >= 3 ? 1 : 0.5);
}

function code(text: string, add: Add) {
  if (CODE_FENCE.test(text)) add('code-fence', 'fenced code block', 2.5);
  if (STACK_TRACE.test(text)) add('stack-trace', 'stack trace', 3);
  const tokens = countMatches(text, CODE_TOKENS, CODE_TOKEN_CAP);
  if (tokens >= 2) add('code-tokens', `${tokens} code-like tokens`, tokens * 0.25);
}

function lastUserText(messages: readonly Message[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === 'user') return textOf(message.content);
  }
  return '';
}
