import type { Message, ToolSpec } from '../../core/conversation.js';
import { countTokens, messageTokens } from './count-tokens.js';
import { addFacts } from './facts.js';
import { callNames, stepStarts, turnStarts } from './pair-bounds.js';
import { summaryMessage, type SummaryParts } from './summary-message.js';
import { countShortened, shortenAllResults, shortenOldResults } from './tool-results.js';

export interface ContextParts {
  /** The system prompt: never left out. */
  system: readonly Message[];
  /** The running summary, if the turns before `history` have one. */
  summary: SummaryParts | undefined;
  /** The turns that may go verbatim, oldest first. */
  history: readonly Message[];
  /** The index of `history[0]` in the whole history, for the facts of turns left out. */
  offset: number;
  tools: ToolSpec[] | undefined;
  /** Tokens the request may hold: the window less the room kept for the answer. */
  limit: number;
  summaryBudget: number;
  toolResultBudget: number;
}

/** A request that fits, and what it took; or the smallest request that could be built. */
export type FitOutcome =
  | { fits: true; messages: Message[]; tokens: number; dropped: number; shortened: number }
  | { fits: false; tokens: number };

/**
 * Builds the messages of a request within `limit`: the system prompt, the summary, the verbatim
 * turns with older tool results in one line. When that is too much, it trims harder, in order:
 * every result but the latest calls' in one line; the oldest turns left out (their facts join the
 * summary); the summary shortened; the latest results in one line; the current turn's middle
 * steps left out. A tool call and its result always stay or go together.
 */
export function fitContext(parts: ContextParts): FitOutcome {
  const fit = new Fitting(parts);
  const steps = [
    () => fit.shortenResults(true),
    () => fit.dropOldTurns(),
    () => fit.shrinkSummary(),
    () => fit.shortenResults(false),
    () => fit.dropMiddleSteps(),
  ];
  for (const step of [() => undefined, ...steps]) {
    step();
    if (fit.total() <= parts.limit) return fit.outcome();
  }
  return { fits: false, tokens: fit.total() };
}

class Fitting {
  private history: Message[];
  private summary: Message | undefined;
  private summaryParts: SummaryParts | undefined;
  private readonly fixed: number;
  private readonly names: ReadonlyMap<string, string>;
  private dropped = 0;

  constructor(private readonly parts: ContextParts) {
    this.names = callNames(parts.history);
    this.history = shortenOldResults(parts.history, this.names, parts.toolResultBudget);
    this.fixed = countTokens({ messages: [...parts.system], tools: parts.tools });
    this.summaryParts = parts.summary;
    this.summary = summaryMessage(parts.summary, parts.summaryBudget);
  }

  total(): number {
    const summary = this.summary ? messageTokens(this.summary) : 0;
    let history = 0;
    for (const message of this.history) history += messageTokens(message);
    return this.fixed + summary + history;
  }

  shortenResults(keepTrailing: boolean): void {
    this.history = shortenAllResults(this.history, this.names, keepTrailing);
  }

  /** The oldest turns out, as few as will do, keeping room for the summary they join. */
  dropOldTurns(): void {
    const starts = turnStarts(this.history).filter((start) => start > 0);
    if (starts.length === 0) return;
    const room = this.parts.limit - this.fixed - this.parts.summaryBudget;
    const suffix = suffixTokens(this.history);
    const cut = starts.find((start) => (suffix[start] ?? 0) <= room) ?? starts.at(-1)!;
    const left = this.history.slice(0, cut);
    const known = this.summaryParts?.facts ?? [];
    const offset = this.parts.offset + this.dropped;
    this.summaryParts = {
      text: this.summaryParts?.text ?? '',
      facts: addFacts(known, left, offset),
    };
    this.summary = summaryMessage(this.summaryParts, this.parts.summaryBudget);
    this.history = this.history.slice(cut);
    this.dropped += cut;
  }

  /** What room is left goes to the summary's facts first, then its prose. */
  shrinkSummary(): void {
    if (!this.summaryParts) return;
    const room = this.parts.limit - (this.total() - this.summaryTokens());
    const factsOnly = { text: '', facts: this.summaryParts.facts };
    this.summary = summaryMessage(factsOnly, Math.min(room, this.parts.summaryBudget));
  }

  /** In a long tool loop, the steps between the turn's opening and its latest step go. */
  dropMiddleSteps(): void {
    const starts = stepStarts(this.history).filter((start) => start > 0);
    if (starts.length < 2) return;
    const first = starts[0]!;
    const last = starts.at(-1)!;
    this.history = [...this.history.slice(0, first), ...this.history.slice(last)];
    this.dropped += last - first;
  }

  outcome(): FitOutcome {
    const messages = [...this.parts.system];
    if (this.summary) messages.push(this.summary);
    messages.push(...this.history);
    const tokens = countTokens({ messages, tools: this.parts.tools });
    if (tokens > this.parts.limit) return { fits: false, tokens };
    const shortened = countShortened(this.parts.history, this.history);
    return { fits: true, messages, tokens, dropped: this.dropped, shortened };
  }

  private summaryTokens(): number {
    return this.summary ? messageTokens(this.summary) : 0;
  }
}

function suffixTokens(history: readonly Message[]): number[] {
  const suffix = new Array<number>(history.length + 1).fill(0);
  for (let index = history.length - 1; index >= 0; index--) {
    suffix[index] = (suffix[index + 1] ?? 0) + messageTokens(history[index]!);
  }
  return suffix;
}
