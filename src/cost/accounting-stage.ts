import { randomId } from '../core/random-id.js';
import { RampartError } from '../core/index.js';
import type { ModelUsageFact, Turn, TurnStage } from '../runtime/index.js';
import type { UsageLedger, UsageModelLine, UsageRecordInput } from '../store/index.js';
import type { PriceBook } from './price-book.js';
import { turnCost, type TurnCost } from './turn-cost.js';

export interface AccountingOptions {
  prices: PriceBook;
  ledger: UsageLedger;
  /** Milliseconds since the epoch, for the record's time. Default `Date.now`. */
  clock?: () => number;
}

/** A ledger record's id: one per turn, kept across a retried write so it counts once. */
function newTurnId(): string {
  return `turn_${randomId(12)}`;
}

/** One line per target: every call the turn made on it, priced call by call. */
function modelLines(usage: readonly ModelUsageFact[], prices: PriceBook): UsageModelLine[] {
  const lines = new Map<string, UsageModelLine>();
  for (const call of usage) {
    const line = lines.get(call.target) ?? emptyLine(call);
    line.inputTokens += call.usage.inputTokens;
    line.outputTokens += call.usage.outputTokens;
    line.cachedInputTokens += call.usage.cachedInputTokens ?? 0;
    line.cacheWriteInputTokens += call.usage.cacheWriteInputTokens ?? 0;
    line.estimated ||= call.usage.estimated === true;
    line.costNanos += prices.modelCost(call, call.usage).nanos;
    lines.set(call.target, line);
  }
  return [...lines.values()];
}

function emptyLine(call: ModelUsageFact): UsageModelLine {
  return {
    target: call.target,
    model: call.model,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    estimated: false,
    costNanos: 0,
  };
}

function ledgerRecord(
  turn: Turn,
  cost: TurnCost,
  facts: { id: string; at: number; prices: PriceBook },
) {
  const { input } = turn;
  const record: UsageRecordInput = {
    id: facts.id,
    at: facts.at,
    requestId: input.requestId,
    userId: input.principal.userId,
    keyId: input.principal.keyId,
    route: turn.route?.name ?? input.modelName,
    models: modelLines(turn.modelUsage, facts.prices),
    toolCostNanos: cost.tools,
    toolCalls: turn.toolCalls.length,
    memoryCostNanos: cost.memory,
    memoryOperations: 0,
    totalCostNanos: cost.total,
    outcome: turn.errorCode ?? turn.finishReason ?? 'error',
  };
  if (input.principal.team !== undefined) record.team = input.principal.team;
  if (input.sessionId !== undefined) record.sessionId = input.sessionId;
  return record;
}

/**
 * Accounting: when a turn ends, however it ended, prices it (model calls on the target that
 * served each, tool executions, memory operations), puts the cost on the turn for the stages
 * and the log line that read it, and writes the turn's record to the usage ledger. A turn that
 * reached no model and ran no tool spent nothing and is not recorded. A failed write is logged
 * with the turn's ids and costs the client nothing: the answer is already out.
 */
export function accountingStage(options: AccountingOptions): TurnStage {
  const { prices, ledger } = options;
  const clock = options.clock ?? Date.now;

  async function write(turn: Turn, record: UsageRecordInput): Promise<void> {
    try {
      await ledger.record(record);
    } catch (error) {
      // A ledger briefly down gets one more try; the same id keeps it from counting twice.
      const retryable = error instanceof RampartError && error.retryable;
      if (retryable) await ledger.record(record);
      else throw error;
    }
  }

  return {
    name: 'accounting',
    async settle(turn) {
      const cost = turnCost({ modelUsage: turn.modelUsage, toolCalls: turn.toolCalls }, prices);
      turn.cost = cost;
      if (turn.modelUsage.length === 0 && turn.toolCalls.length === 0) return;
      const record = ledgerRecord(turn, cost, { id: newTurnId(), at: clock(), prices });
      try {
        await write(turn, record);
      } catch (error) {
        const ids = { turnId: record.id, userId: record.userId, sessionId: record.sessionId };
        turn.logger.error({ err: error, ...ids }, 'recording turn usage failed');
      }
    },
  };
}
