import type { DayBucket } from './usage-days.js';
import type { UsageFilter } from './usage-rules.js';

/**
 * The summary queries of the usage ledger, shared by SQLite and PostgreSQL. Each turn is one
 * `usage_turns` row carrying its whole spend, and one `usage_models` row per target it used
 * (with the turn's time, user and session copied), so every sum reads one table: turn rows for
 * spend by day, user or session; model rows when models are asked about.
 */
export interface UsageDialect {
  /** Adds a value to the statement's parameters; returns its placeholder. */
  bind(value: unknown): string;
  /** Identity text as the backend stores it. */
  text(value: string): unknown;
  /** A table named `days` with the columns `day`, `start_ms`, `end_ms`, a row per bucket. */
  days(buckets: DayBucket[]): string;
}

const TURN_FIGURES = `COUNT(*) AS turns,
  SUM(input_tokens) AS "inputTokens", SUM(output_tokens) AS "outputTokens",
  SUM(cached_tokens) AS "cachedInputTokens", SUM(cache_write_tokens) AS "cacheWriteInputTokens",
  MAX(estimated) AS estimated, SUM(model_cost) AS "modelCostNanos",
  SUM(tool_cost) AS "toolCostNanos", SUM(tool_calls) AS "toolCalls",
  SUM(memory_cost) AS "memoryCostNanos", SUM(memory_operations) AS "memoryOperations",
  SUM(total_cost) AS "totalCostNanos"`;

const MODEL_FIGURES = `COUNT(DISTINCT turn_id) AS turns,
  SUM(input_tokens) AS "inputTokens", SUM(output_tokens) AS "outputTokens",
  SUM(cached_tokens) AS "cachedInputTokens", SUM(cache_write_tokens) AS "cacheWriteInputTokens",
  MAX(estimated) AS estimated, SUM(cost) AS "modelCostNanos", SUM(cost) AS "totalCostNanos"`;

const KEYS = { day: 'days.day', model: 'target', user: 'user_id', session: 'session_id' } as const;

function conditions(filter: UsageFilter, dialect: UsageDialect): string {
  const where = [`at >= ${dialect.bind(filter.from)}`, `at < ${dialect.bind(filter.to)}`];
  if (filter.userId !== undefined)
    where.push(`user_id = ${dialect.bind(dialect.text(filter.userId))}`);
  if (filter.sessionId !== undefined) {
    where.push(`session_id = ${dialect.bind(dialect.text(filter.sessionId))}`);
  }
  if (filter.model !== undefined) {
    const model = dialect.bind(dialect.text(filter.model));
    where.push(`(target = ${model} OR model = ${model})`);
  }
  return where.join(' AND ');
}

/** The totals over every matching turn (or model line). */
export function totalsSql(filter: UsageFilter, dialect: UsageDialect): string {
  const [table, figures] = filter.byModel
    ? ['usage_models', MODEL_FIGURES]
    : ['usage_turns', TURN_FIGURES];
  return `SELECT ${figures} FROM ${table} WHERE ${conditions(filter, dialect)}`;
}

/**
 * The groups, at most `limit + 1` (the extra one tells the caller there were more): days in
 * date order, the rest by cost then key, so equal queries list equal pages.
 */
export function groupsSql(filter: UsageFilter, dialect: UsageDialect): string {
  const groupBy = filter.groupBy ?? 'day';
  const key = KEYS[groupBy];
  const [table, figures] = filter.byModel
    ? ['usage_models', MODEL_FIGURES]
    : ['usage_turns', TURN_FIGURES];
  const costColumn = filter.byModel ? 'cost' : 'total_cost';
  const join =
    groupBy === 'day'
      ? `JOIN ${dialect.days(filter.days)} ON at >= days.start_ms AND at < days.end_ms`
      : '';
  const order = groupBy === 'day' ? key : `SUM(${costColumn}) DESC, ${key} IS NULL, ${key}`;
  const where = conditions(filter, dialect);
  const limit = dialect.bind(filter.limit + 1);
  return `SELECT ${key} AS group_key, ${figures} FROM ${table} ${join}
    WHERE ${where} GROUP BY ${key} ORDER BY ${order} LIMIT ${limit}`;
}
