import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

export interface JobRow {
  id: string;
  owner: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  request: string;
  result: string | null;
  error: string | null;
  attempts: number;
  webhook_url: string | null;
  webhook_status: 'none' | 'pending' | 'delivered' | 'failed';
  webhook_attempts: number;
  created_at: number;
  updated_at: number;
  completed_at: number | null;
}

const COLUMNS = `id, owner, kind, status, request, result, error, attempts, webhook_url,
  webhook_status, webhook_attempts, created_at, updated_at, completed_at`;

type StatementName =
  | 'insert'
  | 'select'
  | 'selectById'
  | 'nextRunnable'
  | 'take'
  | 'finish'
  | 'requeue'
  | 'renew'
  | 'purge'
  | 'nextWebhook'
  | 'takeWebhook'
  | 'recordWebhook';

/** The job store's prepared statements, by name. */
export type JobStatements = Record<StatementName, Statement>;

/**
 * The job store's SQL, prepared once per connection. A claim's token is checked by the same
 * UPDATE that writes, so a runner whose job was claimed again since writes nothing.
 */
export function prepareJobStatements(database: SqliteDatabase): JobStatements {
  const prepare = (sql: string): Statement => database.prepare(sql);
  // A webhook becomes due when its job finishes; a job without one never has a due time.
  const webhookDue = `CASE WHEN webhook_status = 'pending' THEN @now END`;
  return {
    insert: prepare(
      `INSERT INTO jobs (id, owner, kind, status, request, due_at, webhook_url, webhook_status,
         created_at, updated_at)
       VALUES (@id, @owner, @kind, 'queued', @request, @now, @webhookUrl, @webhookStatus,
         @now, @now)`,
    ),
    select: prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = @id AND owner = @owner`),
    selectById: prepare(`SELECT ${COLUMNS} FROM jobs WHERE id = ?`),
    // Longest due first: a requeued job goes behind the jobs that fell due before it, so jobs
    // of a route that is still down cannot starve the jobs of one that is up.
    nextRunnable: prepare(
      `SELECT id FROM jobs WHERE status IN ('queued', 'running') AND due_at <= ?
       ORDER BY due_at, created_at, rowid LIMIT 1`,
    ),
    take: prepare(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_token = @token,
         due_at = @expires, updated_at = @now
       WHERE id = @id`,
    ),
    // A runner that outlived its lease still finishes when no other runner took the job since.
    finish: prepare(
      `UPDATE jobs SET status = @status, result = @result, error = @error, lease_token = NULL,
         updated_at = @now, completed_at = @now, webhook_due_at = ${webhookDue}
       WHERE id = @id AND status = 'running' AND lease_token = @token`,
    ),
    renew: prepare(
      `UPDATE jobs SET due_at = @expires, updated_at = @now
       WHERE id = @id AND status = 'running' AND lease_token = @token`,
    ),
    requeue: prepare(
      `UPDATE jobs SET status = 'queued', lease_token = NULL, due_at = @due, updated_at = @now
       WHERE id = @id AND status = 'running' AND lease_token = @token`,
    ),
    purge: prepare(
      `DELETE FROM jobs WHERE status IN ('succeeded', 'failed') AND completed_at < ?
         AND webhook_status <> 'pending'`,
    ),
    nextWebhook: prepare(
      `SELECT id FROM jobs
       WHERE webhook_status = 'pending' AND webhook_due_at IS NOT NULL AND webhook_due_at <= ?
       ORDER BY webhook_due_at, created_at, rowid LIMIT 1`,
    ),
    takeWebhook: prepare(
      'UPDATE jobs SET webhook_token = @token, webhook_due_at = @expires WHERE id = @id',
    ),
    recordWebhook: prepare(
      `UPDATE jobs SET webhook_status = @status, webhook_attempts = webhook_attempts + 1,
         webhook_token = NULL, webhook_due_at = @due, updated_at = @now
       WHERE id = @id AND webhook_status = 'pending' AND webhook_token = @token`,
    ),
  };
}
