import type { Message } from '../../core/conversation.js';
import { addFacts, keepFacts } from './facts.js';
import { historyDigest, type RunningSummary } from './running-summary.js';
import { fitProse } from './summary-message.js';
import { summaryRequest } from './summary-request.js';
import type { ModelCallRequest } from '../../runtime/index.js';

/**
 * Facts a summary stores at most: far more than a request shows, so the most mentioned can be
 * chosen from, while a session's state stays a few tens of kilobytes.
 */
const MAX_FACTS = 1_000;

/** Writes prose with the summary model: its text, or undefined when the call failed. */
export type SummaryWriter = (request: ModelCallRequest) => Promise<string | undefined>;

export interface ExtendOptions {
  previous: RunningSummary | undefined;
  history: readonly Message[];
  /** The new end of the summary: `history[previous.covered .. to)` is folded in. */
  to: number;
  /** Absent: no summary model, the summary keeps facts only. */
  write: SummaryWriter | undefined;
  /** Tokens of the summary's prose. */
  proseTokens: number;
  /** Tokens the summary request may hold in the summary model's window. */
  requestLimit: number;
}

/**
 * The running summary extended to `to`: the facts of the newly folded messages added by rule,
 * and the prose extended by the summary model from the previous prose and those messages only.
 * Undefined when the model call failed: the summary stays as it was, for the next turn to retry.
 */
export async function extendSummary(options: ExtendOptions): Promise<RunningSummary | undefined> {
  const { previous, history, to } = options;
  const from = previous?.covered ?? 0;
  const folded = history.slice(from, to);
  let text = previous?.text ?? '';
  let calls = previous?.calls ?? 0;
  if (options.write) {
    const request = summaryRequest({
      previous: text,
      messages: folded,
      maxTokens: options.proseTokens,
      limit: options.requestLimit,
    });
    const written = await options.write(request);
    if (written === undefined) return undefined;
    text = fitProse(written, options.proseTokens);
    calls++;
  }
  return {
    covered: to,
    digest: historyDigest(history.slice(0, to)),
    text,
    facts: keepFacts(
      addFacts(previous?.facts ?? [], folded, from),
      (kept) => kept.length <= MAX_FACTS,
    ),
    calls,
  };
}
