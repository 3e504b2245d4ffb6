/** The usage ledger: one record per turn, with its model calls, tools and memory, costed. */

/** What one model target used and cost in a turn (every call the turn made on it). */
export interface UsageModelLine {
  /** `provider/model`, as the route names the target. */
  target: string;
  /** The provider's own model id. */
  model: string;
  /** Prompt tokens billed at the full input price (cached and written ones apart). */
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  /** True when some count is Rampart's estimate because the provider reported none. */
  estimated: boolean;
  /** Nanodollars (1e-9 USD); 0 for a model no price is known for. */
  costNanos: number;
}

/** One turn's usage, as the accounting stage records it. */
export interface UsageRecordInput {
  /** The turn's id: a second write with the same id changes nothing. At most 128 characters. */
  id: string;
  /** Milliseconds since the epoch: when the turn ended. */
  at: number;
  requestId: string;
  userId: string;
  keyId: string;
  team?: string;
  sessionId?: string;
  /** The model name the client asked for. */
  route: string;
  /** Per target, at most 64. */
  models: UsageModelLine[];
  toolCostNanos: number;
  toolCalls: number;
  memoryCostNanos: number;
  memoryOperations: number;
  /** Model, tool and memory cost together. */
  totalCostNanos: number;
  /** The finish reason (`stop`, `length`, `tool-calls`, ...) or the error code the turn ended with. */
  outcome: string;
}

/** How a summary is split. */
export type UsageGroupBy = 'day' | 'model' | 'user' | 'session';

/** Which usage to sum. */
export interface UsageQuery {
  userId?: string;
  sessionId?: string;
  /** A target (`provider/model`) or a provider model id. */
  model?: string;
  /** Inclusive lower bound, milliseconds since the epoch. */
  from: number;
  /** Exclusive upper bound; at most 366 days after `from`. */
  to: number;
  groupBy?: UsageGroupBy;
  /** IANA time zone that days are counted in. Default `UTC`. */
  timeZone?: string;
  /** Most groups returned: default 100, at most 1000. */
  limit?: number;
}

/** Sums over a set of turns. With a model filter or grouping, only those models' lines count. */
export interface UsageFigures {
  turns: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteInputTokens: number;
  /** True when any count summed is an estimate. */
  estimated: boolean;
  modelCostNanos: number;
  toolCostNanos: number;
  toolCalls: number;
  memoryCostNanos: number;
  memoryOperations: number;
  totalCostNanos: number;
}

/** One group: a day (`YYYY-MM-DD`), a target, a user id or a session id (null: no session). */
export interface UsageGroup extends UsageFigures {
  key: string | null;
}

export interface UsageSummary {
  totals: UsageFigures;
  /** Days in date order; other groups by cost, highest first, then by key. Empty ungrouped. */
  groups: UsageGroup[];
  /** True when more groups matched than `limit`. */
  truncated: boolean;
}

/** Where every turn's usage and cost is kept (the records backend). */
export interface UsageLedger {
  /** Stores a turn's record; false when one with the same id was already there. */
  record(entry: UsageRecordInput): Promise<boolean>;
  summarize(query: UsageQuery): Promise<UsageSummary>;
}
