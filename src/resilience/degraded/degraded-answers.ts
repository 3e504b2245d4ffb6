import type { CollectedResponse, Logger, ModelRequest } from '../../core/index.js';
import { OutageLog } from '../../core/outage-log.js';
import type { AnswerStore, StoredAnswer } from '../../store/index.js';
import { answerKey } from './answer-key.js';
import { estimateComplexity } from './complexity.js';

export interface DegradedAnswersOptions {
  store: AnswerStore;
  ttlMs: number;
  maxAnswerChars: number;
  scope: 'user' | 'global';
  logger: Logger;
}

/** What identifies a model call for degraded mode. */
export interface AnswerContext {
  routeName: string;
  userId: string;
  request: Omit<ModelRequest, 'model'>;
}

/**
 * Degraded mode's stored answers: every complete text answer to a simple request is kept, and
 * while the route is down the same simple request gets it back. A store that fails only costs
 * the degraded answer, never the live one.
 */
export class DegradedAnswers {
  /** Every turn writes or reads: while the store is down, one warning, not one per turn. */
  readonly #outage: OutageLog;

  constructor(private readonly options: DegradedAnswersOptions) {
    this.#outage = new OutageLog({
      logger: options.logger,
      what: 'the degraded-mode answer store',
    });
  }

  async remember(context: AnswerContext, response: CollectedResponse): Promise<void> {
    const complete =
      response.error === undefined &&
      response.finishReason === 'stop' &&
      response.toolCalls.length === 0 &&
      response.text !== '' &&
      response.text.length <= this.options.maxAnswerChars;
    if (!complete || estimateComplexity(context.request).complex) return;
    const answer: StoredAnswer = { text: response.text, storedAt: new Date().toISOString() };
    try {
      await this.options.store.set(this.key(context), answer, this.options.ttlMs);
      this.#outage.succeeded();
    } catch (error) {
      this.#outage.failed(error, { operation: 'store' });
    }
  }

  /** The stored answer for a simple request, if one exists. */
  async recall(context: AnswerContext): Promise<StoredAnswer | undefined> {
    if (estimateComplexity(context.request).complex) return undefined;
    try {
      const answer = await this.options.store.get(this.key(context));
      this.#outage.succeeded();
      return answer;
    } catch (error) {
      this.#outage.failed(error, { operation: 'read' });
      return undefined;
    }
  }

  private key(context: AnswerContext): string {
    const user = this.options.scope === 'user' ? context.userId : undefined;
    return answerKey(context.routeName, context.request, user);
  }
}
