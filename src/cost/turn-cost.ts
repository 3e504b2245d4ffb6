import type { ErrorCode } from '../core/errors.js';
import type { ModelUsageFact, ToolCallFact } from '../runtime/index.js';
import type { Nanodollars } from './money.js';
import type { PriceBook } from './price-book.js';

/** What one turn cost, split by what spent it. */
export interface TurnCost {
  model: Nanodollars;
  tools: Nanodollars;
  memory: Nanodollars;
  total: Nanodollars;
  /** The model component by `provider/model` of the target that served each call. */
  byTarget: Record<string, Nanodollars>;
  /** `provider/model` of calls no price was known for: their tokens are counted, not costed. */
  unpriced: string[];
}

/** What a turn's cost is computed from: the facts it recorded. */
export interface CostFacts {
  modelUsage: readonly ModelUsageFact[];
  toolCalls: readonly ToolCallFact[];
  /** Memory stores and retrievals the turn made. Default 0. */
  memoryOperations?: number;
}

/**
 * Tool outcomes where the handler never ran: refused before it (policy, approval, bad
 * arguments, no such tool, a spent budget) and so never billed.
 */
const NOT_RUN: ReadonlySet<ErrorCode> = new Set([
  'RAMPART_TOOL_NOT_FOUND',
  'RAMPART_TOOL_INVALID_ARGUMENTS',
  'RAMPART_TOOL_DENIED',
  'RAMPART_TOOL_CONFIRMATION_REQUIRED',
  'RAMPART_TOOL_DECLINED',
  'RAMPART_BUDGET_EXHAUSTED',
]);

/** Whether a tool call reached its handler (a failure or timeout there still costs). */
export function toolCallRan(call: ToolCallFact): boolean {
  return call.errorCode === undefined || !NOT_RUN.has(call.errorCode);
}

/** Prices a turn's model calls, tool executions and memory operations. */
export function turnCost(facts: CostFacts, prices: PriceBook): TurnCost {
  let model = 0;
  const byTarget: Record<string, Nanodollars> = {};
  const unpriced = new Set<string>();
  for (const call of facts.modelUsage) {
    const cost = prices.modelCost(call, call.usage);
    model += cost.nanos;
    byTarget[call.target] = (byTarget[call.target] ?? 0) + cost.nanos;
    if (!cost.priced) unpriced.add(call.target);
  }
  let tools = 0;
  for (const call of facts.toolCalls) if (toolCallRan(call)) tools += prices.toolCost(call.name);
  const memory = prices.memoryCost(facts.memoryOperations ?? 0);
  const total = model + tools + memory;
  return { model, tools, memory, total, byTarget, unpriced: [...unpriced] };
}
