import type { Usage } from '../core/events.js';
import type { Turn } from '../runtime/index.js';
import type { BudgetStore } from '../store/index.js';
import type { HeldReservation } from './budget-reserve.js';
import type { PriceBook } from './price-book.js';
import { turnCost } from './turn-cost.js';

/** What a turn has spent so far, in both units budgets count. */
export interface Spend {
  tokens: number;
  nanos: number;
}

function billedTokens(usage: Usage): number {
  const cached = (usage.cachedInputTokens ?? 0) + (usage.cacheWriteInputTokens ?? 0);
  return usage.inputTokens + usage.outputTokens + cached;
}

/** The turn's spend so far: model calls, tool executions, memory operations. */
export function spendOf(turn: Turn, prices: PriceBook): Spend {
  let tokens = 0;
  for (const call of turn.modelUsage) tokens += billedTokens(call.usage);
  const cost = turnCost({ modelUsage: turn.modelUsage, toolCalls: turn.toolCalls }, prices);
  return { tokens, nanos: cost.total };
}

/**
 * Settles a reservation to what was spent since the last one (`spent`), or releases it when
 * nothing was: a call that failed before any spend leaves no trace. Returns the budgets whose
 * warn line this spend reached.
 */
export async function settleHeld(
  store: BudgetStore,
  held: HeldReservation,
  spent: Spend,
): Promise<string[]> {
  const { id, counters } = held;
  if (spent.tokens === 0 && spent.nanos === 0) {
    await store.release(
      id,
      counters.map((counter) => counter.key),
    );
    return [];
  }
  const charges = counters.map((counter) => ({
    key: counter.key,
    amount: counter.measure === 'tokens' ? spent.tokens : spent.nanos,
    cap: counter.cap,
    warnAt: counter.config.warnAt,
    ttlMs: counter.ttlMs,
  }));
  const { warned } = await store.settle(id, charges);
  const budgets = counters.filter((counter) => warned.includes(counter.key));
  return [...new Set(budgets.map((counter) => counter.budget))];
}
