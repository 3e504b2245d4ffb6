import type { Statement, Transaction } from 'better-sqlite3';
import type { DayBucket } from '../usage-days.js';
import {
  checkUsageQuery,
  checkUsageRecord,
  lineTotals,
  toFigures,
  type FigureRow,
} from '../usage-rules.js';
import { groupsSql, totalsSql, type UsageDialect } from '../usage-sql.js';
import type {
  UsageLedger,
  UsageModelLine,
  UsageQuery,
  UsageRecordInput,
  UsageSummary,
} from '../usage-types.js';
import { settle, type SqliteDatabase } from './database.js';

const TOKENS = 'input_tokens, output_tokens, cached_tokens, cache_write_tokens, estimated';

/** Named parameters `@p1`, `@p2`, ... bound from one object. */
class SqliteDialect implements UsageDialect {
  readonly values: Record<string, unknown> = {};
  private count = 0;

  bind(value: unknown): string {
    this.count += 1;
    this.values[`p${this.count}`] = value;
    return `@p${this.count}`;
  }

  text(value: string): unknown {
    return value;
  }

  days(buckets: DayBucket[]): string {
    const list = this.bind(JSON.stringify(buckets.map((b) => [b.day, b.start, b.end])));
    return `(SELECT value ->> 0 AS day, value ->> 1 AS start_ms, value ->> 2 AS end_ms
      FROM json_each(${list})) AS days`;
  }
}

/** The usage ledger in SQLite: a turn and its model lines go in one transaction, or not at all. */
export class SqliteUsageLedger implements UsageLedger {
  private readonly insertTurn: Statement;
  private readonly insertModel: Statement;
  private readonly write: Transaction<(entry: UsageRecordInput) => boolean>;

  constructor(private readonly database: SqliteDatabase) {
    this.insertTurn = database.prepare(
      `INSERT INTO usage_turns (id, at, request_id, user_id, key_id, team, session_id, route,
        ${TOKENS}, model_cost, tool_cost, tool_calls, memory_cost, memory_operations,
        total_cost, outcome)
      VALUES (@id, @at, @requestId, @userId, @keyId, @team, @sessionId, @route, @inputTokens,
        @outputTokens, @cachedInputTokens, @cacheWriteInputTokens, @estimated, @modelCost,
        @toolCostNanos, @toolCalls, @memoryCostNanos, @memoryOperations, @totalCostNanos,
        @outcome)
      ON CONFLICT (id) DO NOTHING`,
    );
    this.insertModel = database.prepare(
      `INSERT INTO usage_models (turn_id, target, model, at, user_id, session_id, ${TOKENS}, cost)
      VALUES (@turnId, @target, @model, @at, @userId, @sessionId, @inputTokens, @outputTokens,
        @cachedInputTokens, @cacheWriteInputTokens, @estimated, @costNanos)`,
    );
    this.write = database.transaction((entry: UsageRecordInput) => this.insert(entry));
  }

  record(entry: UsageRecordInput): Promise<boolean> {
    return settle(() => this.write.immediate(checkUsageRecord(entry)));
  }

  summarize(query: UsageQuery): Promise<UsageSummary> {
    return settle(() => {
      const filter = checkUsageQuery(query);
      const totals = new SqliteDialect();
      const totalsRow = this.database.prepare(totalsSql(filter, totals)).get(totals.values);
      const summary: UsageSummary = {
        totals: toFigures(totalsRow as FigureRow, filter.byModel),
        groups: [],
        truncated: false,
      };
      if (filter.groupBy === undefined) return summary;
      const groups = new SqliteDialect();
      const rows = this.database.prepare(groupsSql(filter, groups)).all(groups.values);
      const grouped = rows as Array<FigureRow & { group_key: string | null }>;
      summary.truncated = grouped.length > filter.limit;
      summary.groups = grouped.slice(0, filter.limit).map((row) => ({
        key: row.group_key,
        ...toFigures(row, filter.byModel),
      }));
      return summary;
    });
  }

  private insert(entry: UsageRecordInput): boolean {
    const { changes } = this.insertTurn.run({ ...turnRow(entry) });
    if (changes === 0) return false;
    for (const line of entry.models) this.insertModel.run(modelRow(entry, line));
    return true;
  }
}

function turnRow(entry: UsageRecordInput) {
  const { models, team, sessionId, ...rest } = entry;
  return { ...rest, ...lineTotals(models), team: team ?? null, sessionId: sessionId ?? null };
}

function modelRow(entry: UsageRecordInput, line: UsageModelLine) {
  return {
    turnId: entry.id,
    target: line.target,
    model: line.model,
    at: entry.at,
    userId: entry.userId,
    sessionId: entry.sessionId ?? null,
    inputTokens: line.inputTokens,
    outputTokens: line.outputTokens,
    cachedInputTokens: line.cachedInputTokens,
    cacheWriteInputTokens: line.cacheWriteInputTokens,
    estimated: line.estimated ? 1 : 0,
    costNanos: line.costNanos,
  };
}
