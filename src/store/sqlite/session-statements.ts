import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from './database.js';

export interface SessionRow {
  id: string;
  owner: string;
  assistant: string;
  metadata: string;
  state: string;
  created_at: number;
  updated_at: number;
}

type StatementName =
  | 'insert'
  | 'select'
  | 'exists'
  | 'remove'
  | 'messages'
  | 'nextSeq'
  | 'addMessage'
  | 'setState'
  | 'takeLease'
  | 'closeLease'
  | 'touchLease'
  | 'renewLease'
  | 'dropLast'
  | 'release'
  | 'purge';

/** The session store's prepared statements, by name. */
export type SessionStatements = Record<StatementName, Statement>;

/**
 * The session store's SQL, prepared once per connection. Every statement that finds a session
 * also requires `updated_at > @cutoff`: a session idle past its time is gone even before the
 * purge deletes its rows (with no idle limit the cutoff is far in the past).
 */
export function prepareSessionStatements(database: SqliteDatabase): SessionStatements {
  const prepare = (sql: string): Statement => database.prepare(sql);
  // A turn in progress keeps its session alive until its lease runs out, idle limit or not.
  const live = 'owner = @owner AND id = @id AND (updated_at > @cutoff OR lease_expires_at > @now)';
  return {
    insert: prepare(
      `INSERT INTO sessions (id, owner, assistant, metadata, created_at, updated_at)
       VALUES (@id, @owner, @assistant, @metadata, @now, @now)`,
    ),
    select: prepare(
      `SELECT id, owner, assistant, metadata, state, created_at, updated_at
       FROM sessions WHERE ${live}`,
    ),
    exists: prepare(`SELECT 1 FROM sessions WHERE ${live}`),
    remove: prepare(`DELETE FROM sessions WHERE ${live}`),
    messages: prepare('SELECT body FROM session_messages WHERE session_id = ? ORDER BY seq'),
    nextSeq: prepare(
      'SELECT COALESCE(MAX(seq) + 1, 0) AS next FROM session_messages WHERE session_id = ?',
    ),
    addMessage: prepare('INSERT INTO session_messages (session_id, seq, body) VALUES (?, ?, ?)'),
    setState: prepare('UPDATE sessions SET state = @state WHERE id = @id AND owner = @owner'),
    // Free, or held by a lease that has run out (its holder crashed or stalled).
    takeLease: prepare(
      `UPDATE sessions SET lease_token = @token, lease_expires_at = @expires
       WHERE ${live} AND (lease_token IS NULL OR lease_expires_at <= @now)`,
    ),
    // The holder commits while its token still holds the lease: once expired, another turn may
    // take it (and the old holder then loses), but a late turn nobody displaced still commits.
    closeLease: prepare(
      `UPDATE sessions SET lease_token = NULL, lease_expires_at = NULL, updated_at = @now
       WHERE ${live} AND lease_token = @token`,
    ),
    // A checkpoint: the token still holds the lease, which it keeps.
    touchLease: prepare(
      `UPDATE sessions SET updated_at = @now WHERE ${live} AND lease_token = @token`,
    ),
    renewLease: prepare(
      `UPDATE sessions SET lease_expires_at = @expires WHERE ${live} AND lease_token = @token`,
    ),
    dropLast: prepare(
      `DELETE FROM session_messages WHERE session_id = @id AND seq IN
         (SELECT seq FROM session_messages WHERE session_id = @id ORDER BY seq DESC LIMIT @count)`,
    ),
    release: prepare(
      `UPDATE sessions SET lease_token = NULL, lease_expires_at = NULL
       WHERE ${live} AND lease_token = @token`,
    ),
    // A bounded batch, so one write never pays for a long backlog; messages go by cascade.
    purge: prepare(
      `DELETE FROM sessions WHERE id IN
         (SELECT id FROM sessions WHERE updated_at <= @cutoff
            AND (lease_expires_at IS NULL OR lease_expires_at <= @now)
          ORDER BY updated_at LIMIT 500)`,
    ),
  };
}
