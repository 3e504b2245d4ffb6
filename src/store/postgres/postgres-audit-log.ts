import type { Pool, QueryResultRow } from 'pg';
import { checkAuditQuery, type AuditFilter } from '../audit-query.js';
import { checkAuditEntry, newAuditId } from '../audit-rules.js';
import type { AuditEntry, AuditEntryInput, AuditLog, AuditQuery, AuditVerdict } from '../types.js';
import { quoteSchemaName } from './connection.js';
import { storeFailure } from './store-failure.js';

interface AuditRow {
  seq: string;
  id: string;
  at: Date;
  user_id: Buffer;
  key_id: Buffer;
  role: Buffer;
  session_id: Buffer | null;
  request_id: Buffer | null;
  tool: Buffer;
  call_id: Buffer;
  arguments_digest: string;
  verdict: AuditVerdict;
  rule: Buffer;
  reason: string;
}

const COLUMNS = `seq, id, at, user_id, key_id, role, session_id, request_id, tool, call_id,
  arguments_digest, verdict, rule, reason`;

/** Each filter as a condition on a numbered parameter, and the value it binds. */
const CONDITIONS = {
  userId: { sql: 'user_id = $?', bind: (value: string) => encodeText(value) },
  tool: { sql: 'tool = $?', bind: (value: string) => encodeText(value) },
  verdict: { sql: 'verdict = $?', bind: (value: string) => value },
  sessionId: { sql: 'session_id = $?', bind: (value: string) => encodeText(value) },
  since: { sql: 'at >= $?', bind: (value: number) => new Date(value).toISOString() },
  before: { sql: 'seq < $?', bind: (value: number) => value },
} as const;

type FilterName = keyof typeof CONDITIONS;

export interface PostgresAuditLogOptions {
  /** The schema holding the migrated `audit_entries` table. */
  schema: string;
  /**
   * Milliseconds since the epoch, for entry times. Default: the database clock, which every
   * instance shares, so times agree with `seq` order across instances.
   */
  clock?: () => number;
}

/**
 * The audit log in PostgreSQL. The table refuses UPDATE, DELETE and TRUNCATE by trigger, so
 * this class only inserts and reads. `seq` comes from an identity column: unique and growing,
 * though with many writers a smaller seq may commit a moment after a larger one.
 */
export class PostgresAuditLog implements AuditLog {
  private readonly clock: (() => number) | undefined;
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    options: PostgresAuditLogOptions,
  ) {
    this.clock = options.clock;
    this.table = `${quoteSchemaName(options.schema)}.audit_entries`;
  }

  async append(entry: AuditEntryInput): Promise<AuditEntry> {
    const checked = checkAuditEntry(entry);
    const at = this.clock === undefined ? null : new Date(this.clock()).toISOString();
    for (;;) {
      const id = newAuditId();
      const { rows } = await this.query<Pick<AuditRow, 'seq' | 'at'>>(insertSql(this.table), [
        id,
        at,
        ...rowValues(checked),
      ]);
      const stored = rows[0];
      // A 144-bit id collision is astronomically rare; draw again rather than fail.
      if (stored === undefined) continue;
      return { ...checked, id, at: stored.at.toISOString(), seq: Number(stored.seq) };
    }
  }

  async list(query?: AuditQuery): Promise<AuditEntry[]> {
    const filter = checkAuditQuery(query);
    if (filter === undefined) return [];
    const { sql, values } = selectSql(this.table, filter);
    const { rows } = await this.query<AuditRow>(sql, values);
    return rows.map(toEntry);
  }

  private async query<R extends QueryResultRow>(text: string, values: unknown[]) {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw storeFailure(error);
    }
  }
}

// Times are kept to the millisecond, as the entries report them, so `since` compares exactly.
function insertSql(table: string): string {
  return `INSERT INTO ${table} (id, at, user_id, key_id, role, session_id, request_id, tool,
      call_id, arguments_digest, verdict, rule, reason)
    VALUES ($1, COALESCE($2::timestamptz, date_trunc('milliseconds', clock_timestamp())),
      $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    ON CONFLICT (id) DO NOTHING
    RETURNING seq, at`;
}

function selectSql(table: string, filter: AuditFilter) {
  const conditions: string[] = [];
  const values: unknown[] = [];
  for (const name of Object.keys(CONDITIONS) as FilterName[]) {
    const value = filter[name];
    if (value === undefined) continue;
    const condition = CONDITIONS[name];
    values.push((condition.bind as (value: string | number) => unknown)(value));
    conditions.push(condition.sql.replace('$?', `$${values.length}`));
  }
  values.push(filter.limit);
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const sql = `SELECT ${COLUMNS} FROM ${table} ${where} ORDER BY seq DESC LIMIT $${values.length}`;
  return { sql, values };
}

/** user_id through reason, in the insert statement's order. */
function rowValues(entry: AuditEntryInput): unknown[] {
  return [
    encodeText(entry.userId),
    encodeText(entry.keyId),
    encodeText(entry.role),
    entry.sessionId === undefined ? null : encodeText(entry.sessionId),
    entry.requestId === undefined ? null : encodeText(entry.requestId),
    encodeText(entry.tool),
    encodeText(entry.callId),
    entry.argumentsDigest,
    entry.verdict,
    encodeText(entry.rule),
    JSON.stringify(entry.reason),
  ];
}

function toEntry(row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    id: row.id,
    at: row.at.toISOString(),
    seq: Number(row.seq),
    userId: decodeText(row.user_id),
    keyId: decodeText(row.key_id),
    role: decodeText(row.role),
    tool: decodeText(row.tool),
    callId: decodeText(row.call_id),
    argumentsDigest: row.arguments_digest,
    verdict: row.verdict,
    rule: decodeText(row.rule),
    reason: JSON.parse(row.reason) as string,
  };
  if (row.session_id !== null) entry.sessionId = decodeText(row.session_id);
  if (row.request_id !== null) entry.requestId = decodeText(row.request_id);
  return entry;
}

/** Identity text as UTF-8 bytes; see the migration for why it is not stored as `text`. */
function encodeText(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

function decodeText(bytes: Buffer): string {
  return bytes.toString('utf8');
}
