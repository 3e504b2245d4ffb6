/**
 * The job store's SQL. In every statement that reads the time, `$1` is the time: null in production, so every statement reads
 * the database clock (one clock for every instance, whatever their own clocks say), or a fixed
 * instant when a test steps a manual clock.
 */
const NOW = 'coalesce($1::timestamptz, now())';

const COLUMNS = `id, owner, kind, status, request, result, error, attempts, webhook_url,
  webhook_status, webhook_attempts, created_at, updated_at, completed_at`;

/** An interval of `$n` milliseconds after now. */
const after = (parameter: string) => `${NOW} + ${parameter}::float8 * interval '1 millisecond'`;

export function jobStatements(table: string) {
  return {
    insert: `INSERT INTO ${table} (id, owner, kind, status, request, due_at, webhook_url,
        webhook_status, created_at, updated_at)
      VALUES ($2, $3, $4, 'queued', $5, ${NOW}, $6, $7, ${NOW}, ${NOW})
      ON CONFLICT (id) DO NOTHING RETURNING ${COLUMNS}`,
    select: `SELECT ${COLUMNS} FROM ${table} WHERE id = $1 AND owner = $2`,
    // SKIP LOCKED: claimers on many instances each lock a different row instead of queueing
    // behind one; a row claimed and committed meanwhile fails the re-checked WHERE and is passed.
    claim: `UPDATE ${table} SET status = 'running', attempts = attempts + 1, lease_token = $2,
        due_at = ${after('$3')}, updated_at = ${NOW}
      WHERE id = (SELECT id FROM ${table}
        WHERE status IN ('queued', 'running') AND due_at <= ${NOW}
        ORDER BY due_at, created_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING ${COLUMNS}`,
    // A runner that outlived its lease still finishes when no other runner took the job since.
    finish: `UPDATE ${table} SET status = $4, result = $5, error = $6, lease_token = NULL,
        updated_at = ${NOW}, completed_at = ${NOW},
        webhook_due_at = CASE WHEN webhook_status = 'pending' THEN ${NOW} END
      WHERE id = $2 AND status = 'running' AND lease_token = $3`,
    renew: `UPDATE ${table} SET due_at = ${after('$4')}, updated_at = ${NOW}
      WHERE id = $2 AND status = 'running' AND lease_token = $3`,
    requeue: `UPDATE ${table} SET status = 'queued', lease_token = NULL, due_at = ${after('$4')},
        updated_at = ${NOW}
      WHERE id = $2 AND status = 'running' AND lease_token = $3`,
    purge: `DELETE FROM ${table} WHERE status IN ('succeeded', 'failed')
        AND completed_at < ${NOW} - $2::float8 * interval '1 millisecond'
        AND webhook_status <> 'pending'`,
    claimWebhook: `UPDATE ${table} SET webhook_token = $2, webhook_due_at = ${after('$3')}
      WHERE id = (SELECT id FROM ${table}
        WHERE webhook_status = 'pending' AND webhook_due_at IS NOT NULL
          AND webhook_due_at <= ${NOW}
        ORDER BY webhook_due_at, created_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING ${COLUMNS}`,
    recordWebhook: `UPDATE ${table} SET webhook_status = $4::text,
        webhook_attempts = webhook_attempts + 1, webhook_token = NULL,
        webhook_due_at = CASE WHEN $4::text = 'pending' THEN ${after('$5')} END,
        updated_at = ${NOW}
      WHERE id = $2 AND webhook_status = 'pending' AND webhook_token = $3`,
  };
}
