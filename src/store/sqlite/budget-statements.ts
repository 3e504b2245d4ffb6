import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

type StatementName =
  | 'counter'
  | 'held'
  | 'standing'
  | 'dropExpired'
  | 'open'
  | 'hold'
  | 'dropHold'
  | 'spend'
  | 'markWarned'
  | 'purgeCounters'
  | 'purgeHolds';

/** The budget store's prepared statements, by name. */
export type BudgetStatements = Record<StatementName, Statement>;

/** Rows removed per purge statement, so one write never pays for a long backlog. */
const PURGE_BATCH = 500;

/**
 * The budget ledger's SQL, prepared once per connection. A counter whose `expires_at` has come
 * is gone even before a purge deletes it, and so is a hold whose lease has ended: every read
 * compares with `@now`.
 */
export function prepareBudgetStatements(database: SqliteDatabase): BudgetStatements {
  const prepare = (sql: string): Statement => database.prepare(sql);
  const heldSql = `SELECT COALESCE(SUM(amount), 0) FROM budget_holds
    WHERE counter_key = @key AND expires_at > @now`;
  return {
    counter: prepare(
      'SELECT spent, cap, warned FROM budget_counters WHERE key = @key AND expires_at > @now',
    ),
    held: prepare(heldSql).pluck(),
    standing: prepare(
      `SELECT spent, cap, (${heldSql}) AS reserved FROM budget_counters
       WHERE key = @key AND expires_at > @now`,
    ),
    // An expired counter starts its next life from nothing; its holds go by cascade.
    dropExpired: prepare('DELETE FROM budget_counters WHERE key = @key AND expires_at <= @now'),
    open: prepare(
      `INSERT INTO budget_counters (key, spent, cap, warned, expires_at)
       VALUES (@key, 0, @cap, 0, @expires)
       ON CONFLICT (key) DO UPDATE
         SET cap = excluded.cap, expires_at = MAX(expires_at, excluded.expires_at)`,
    ),
    hold: prepare(
      `INSERT INTO budget_holds (counter_key, reservation_id, amount, expires_at)
       VALUES (@key, @id, @amount, @expires)
       ON CONFLICT (counter_key, reservation_id) DO UPDATE
         SET amount = excluded.amount, expires_at = excluded.expires_at`,
    ),
    dropHold: prepare('DELETE FROM budget_holds WHERE counter_key = @key AND reservation_id = @id'),
    spend: prepare(
      `UPDATE budget_counters SET spent = spent + @amount WHERE key = @key
       RETURNING spent, warned`,
    ),
    markWarned: prepare('UPDATE budget_counters SET warned = 1 WHERE key = @key'),
    purgeCounters: prepare(
      `DELETE FROM budget_counters WHERE key IN
         (SELECT key FROM budget_counters WHERE expires_at <= @now
          ORDER BY expires_at LIMIT ${PURGE_BATCH})`,
    ),
    purgeHolds: prepare(
      `DELETE FROM budget_holds WHERE (counter_key, reservation_id) IN
         (SELECT counter_key, reservation_id FROM budget_holds WHERE expires_at <= @now
          ORDER BY expires_at LIMIT ${PURGE_BATCH})`,
    ),
  };
}
