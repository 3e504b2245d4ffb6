import type { Pool, PoolClient, QueryResultRow } from 'pg';
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
import { quoteSchemaName } from './connection.js';
import { storeFailure } from './store-failure.js';

/** Numbered parameters; identity text as UTF-8 bytea (see the migrations). */
class PostgresDialect implements UsageDialect {
  readonly values: unknown[] = [];

  bind(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  text(value: string): unknown {
    return encodeText(value);
  }

  days(buckets: DayBucket[]): string {
    const days = this.bind(buckets.map((bucket) => bucket.day));
    const starts = this.bind(buckets.map((bucket) => bucket.start));
    const ends = this.bind(buckets.map((bucket) => bucket.end));
    return `unnest(${days}::text[], ${starts}::bigint[], ${ends}::bigint[])
      AS days (day, start_ms, end_ms)`;
  }
}

export interface PostgresUsageLedgerOptions {
  /** The schema holding the migrated usage tables. */
  schema: string;
}

/**
 * The usage ledger in PostgreSQL. A turn and its model lines go in one transaction; a second
 * write of the same turn id waits for the first on the primary key and then inserts nothing.
 */
export class PostgresUsageLedger implements UsageLedger {
  private readonly schema: string;

  constructor(
    private readonly pool: Pool,
    options: PostgresUsageLedgerOptions,
  ) {
    this.schema = quoteSchemaName(options.schema);
  }

  async record(entry: UsageRecordInput): Promise<boolean> {
    const checked = checkUsageRecord(entry);
    let client: PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await client.query('BEGIN');
      const inserted = await this.insert(client, checked);
      await client.query('COMMIT');
      return inserted;
    } catch (error) {
      await client?.query('ROLLBACK').catch(() => undefined);
      throw storeFailure(error);
    } finally {
      client?.release();
    }
  }

  async summarize(query: UsageQuery): Promise<UsageSummary> {
    const filter = checkUsageQuery(query);
    const totals = new PostgresDialect();
    const [totalsRow] = await this.query<FigureRow>(totalsSql(filter, totals), totals.values);
    const summary: UsageSummary = {
      totals: toFigures(totalsRow!, filter.byModel),
      groups: [],
      truncated: false,
    };
    if (filter.groupBy === undefined) return summary;
    const groups = new PostgresDialect();
    const rows = await this.query<FigureRow & { group_key: Buffer | string | null }>(
      groupsSql(filter, groups),
      groups.values,
    );
    summary.truncated = rows.length > filter.limit;
    summary.groups = rows.slice(0, filter.limit).map((row) => ({
      key: Buffer.isBuffer(row.group_key) ? decodeText(row.group_key) : row.group_key,
      ...toFigures(row, filter.byModel),
    }));
    return summary;
  }

  private async insert(client: PoolClient, entry: UsageRecordInput): Promise<boolean> {
    const totals = lineTotals(entry.models);
    const { rowCount } = await client.query(
      `INSERT INTO ${this.schema}.usage_turns (id, at, request_id, user_id, key_id, team,
        session_id, route, input_tokens, output_tokens, cached_tokens, cache_write_tokens,
        estimated, model_cost, tool_cost, tool_calls, memory_cost, memory_operations,
        total_cost, outcome)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
        $19, $20)
      ON CONFLICT (id) DO NOTHING`,
      [
        ...identity(entry),
        totals.inputTokens,
        totals.outputTokens,
        totals.cachedInputTokens,
        totals.cacheWriteInputTokens,
        totals.estimated,
        totals.modelCost,
        entry.toolCostNanos,
        entry.toolCalls,
        entry.memoryCostNanos,
        entry.memoryOperations,
        entry.totalCostNanos,
        encodeText(entry.outcome),
      ],
    );
    if (rowCount === 0) return false;
    for (const line of entry.models) await this.insertLine(client, entry, line);
    return true;
  }

  private async insertLine(client: PoolClient, entry: UsageRecordInput, line: UsageModelLine) {
    await client.query(
      `INSERT INTO ${this.schema}.usage_models (turn_id, target, model, at, user_id, session_id,
        input_tokens, output_tokens, cached_tokens, cache_write_tokens, estimated, cost)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        encodeText(entry.id),
        encodeText(line.target),
        encodeText(line.model),
        entry.at,
        encodeText(entry.userId),
        optionalText(entry.sessionId),
        line.inputTokens,
        line.outputTokens,
        line.cachedInputTokens,
        line.cacheWriteInputTokens,
        line.estimated ? 1 : 0,
        line.costNanos,
      ],
    );
  }

  private async query<R extends QueryResultRow>(text: string, values: unknown[]) {
    try {
      // Tables are named without a schema in the shared SQL: qualify them here.
      const qualified = text.replace(/\b(usage_turns|usage_models)\b/g, `${this.schema}.$1`);
      return (await this.pool.query<R>(qualified, values)).rows;
    } catch (error) {
      throw storeFailure(error);
    }
  }
}

/** id through route, in the insert statement's order. */
function identity(entry: UsageRecordInput): unknown[] {
  return [
    encodeText(entry.id),
    entry.at,
    encodeText(entry.requestId),
    encodeText(entry.userId),
    encodeText(entry.keyId),
    optionalText(entry.team),
    optionalText(entry.sessionId),
    encodeText(entry.route),
  ];
}

function encodeText(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

function optionalText(value: string | undefined): Buffer | null {
  return value === undefined ? null : encodeText(value);
}

function decodeText(bytes: Buffer): string {
  return bytes.toString('utf8');
}
