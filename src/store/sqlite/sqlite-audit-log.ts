import type { Statement } from 'better-sqlite3';
import { checkAuditQuery, type AuditFilter } from '../audit-query.js';
import { checkAuditEntry, newAuditId } from '../audit-rules.js';
import type { AuditEntry, AuditEntryInput, AuditLog, AuditQuery, AuditVerdict } from '../types.js';
import { isUniqueViolation, settle, type SqliteDatabase } from './database.js';

interface AuditRow {
  seq: number;
  id: string;
  at: number;
  user_id: string;
  key_id: string;
  role: string;
  session_id: string | null;
  request_id: string | null;
  tool: string;
  call_id: string;
  arguments_digest: string;
  verdict: AuditVerdict;
  rule: string;
  reason: string;
}

const COLUMNS = `seq, id, at, user_id, key_id, role, session_id, request_id, tool, call_id,
  arguments_digest, verdict, rule, reason`;

/** Each filter as a condition on its named parameter. */
const CONDITIONS = {
  userId: 'user_id = @userId',
  tool: 'tool = @tool',
  verdict: 'verdict = @verdict',
  sessionId: 'session_id = @sessionId',
  since: 'at >= @since',
  before: 'seq < @before',
} as const;

type FilterName = keyof typeof CONDITIONS;

/**
 * The audit log in SQLite. The table refuses UPDATE and DELETE by trigger, so this class only
 * ever inserts and reads. `seq` is the rowid, handed out in commit order.
 */
export class SqliteAuditLog implements AuditLog {
  private readonly insert;
  /** One prepared statement per combination of filters, made when first used. */
  private readonly selects = new Map<string, Statement>();

  constructor(
    private readonly database: SqliteDatabase,
    private readonly clock: () => number,
  ) {
    this.insert = database.prepare(
      `INSERT INTO audit_entries (id, at, user_id, key_id, role, session_id, request_id, tool,
        call_id, arguments_digest, verdict, rule, reason)
      VALUES (@id, @at, @user_id, @key_id, @role, @session_id, @request_id, @tool, @call_id,
        @arguments_digest, @verdict, @rule, @reason)`,
    );
  }

  append(entry: AuditEntryInput): Promise<AuditEntry> {
    return settle(() => {
      const checked = checkAuditEntry(entry);
      for (;;) {
        const row = newRow(checked, this.clock());
        try {
          const { lastInsertRowid } = this.insert.run(row);
          return toEntry({ ...row, seq: Number(lastInsertRowid) });
        } catch (error) {
          // A 144-bit id collision is astronomically rare; draw again rather than fail.
          if (isUniqueViolation(error)) continue;
          throw error;
        }
      }
    });
  }

  list(query?: AuditQuery): Promise<AuditEntry[]> {
    return settle(() => {
      const filter = checkAuditQuery(query);
      if (filter === undefined) return [];
      const names = filterNames(filter);
      const values = Object.fromEntries(names.map((name) => [name, filter[name]]));
      const rows = this.select(names).all({ ...values, limit: filter.limit });
      return (rows as AuditRow[]).map(toEntry);
    });
  }

  private select(names: FilterName[]): Statement {
    const key = names.join(',');
    let statement = this.selects.get(key);
    if (statement === undefined) {
      const where = names.length
        ? `WHERE ${names.map((name) => CONDITIONS[name]).join(' AND ')}`
        : '';
      statement = this.database.prepare(
        `SELECT ${COLUMNS} FROM audit_entries ${where} ORDER BY seq DESC LIMIT @limit`,
      );
      this.selects.set(key, statement);
    }
    return statement;
  }
}

function filterNames(filter: AuditFilter): FilterName[] {
  return (Object.keys(CONDITIONS) as FilterName[]).filter((name) => filter[name] !== undefined);
}

function newRow(entry: AuditEntryInput, now: number): Omit<AuditRow, 'seq'> {
  return {
    id: newAuditId(),
    at: now,
    user_id: entry.userId,
    key_id: entry.keyId,
    role: entry.role,
    session_id: entry.sessionId ?? null,
    request_id: entry.requestId ?? null,
    tool: entry.tool,
    call_id: entry.callId,
    arguments_digest: entry.argumentsDigest,
    verdict: entry.verdict,
    rule: entry.rule,
    reason: JSON.stringify(entry.reason),
  };
}

function toEntry(row: AuditRow): AuditEntry {
  const entry: AuditEntry = {
    id: row.id,
    at: new Date(row.at).toISOString(),
    seq: row.seq,
    userId: row.user_id,
    keyId: row.key_id,
    role: row.role,
    tool: row.tool,
    callId: row.call_id,
    argumentsDigest: row.arguments_digest,
    verdict: row.verdict,
    rule: row.rule,
    reason: JSON.parse(row.reason) as string,
  };
  if (row.session_id !== null) entry.sessionId = row.session_id;
  if (row.request_id !== null) entry.requestId = row.request_id;
  return entry;
}
