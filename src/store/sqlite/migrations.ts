import { RampartError } from '../../core/index.js';
import type { SqliteDatabase } from './database.js';

/** One schema step. Versions only grow; a released migration is never edited. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'api keys and sessions',
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        hash BLOB NOT NULL,
        user_id TEXT NOT NULL,
        role TEXT NOT NULL,
        tier TEXT NOT NULL,
        permissions TEXT NOT NULL,
        label TEXT,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;
      CREATE INDEX api_keys_by_user ON api_keys (user_id);

      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        assistant TEXT NOT NULL,
        metadata TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        lease_token TEXT,
        lease_expires_at INTEGER
      ) STRICT;
      CREATE INDEX sessions_by_owner ON sessions (owner, created_at);

      CREATE TABLE session_messages (
        session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'session idle expiry',
    sql: 'CREATE INDEX sessions_by_updated_at ON sessions (updated_at);',
  },
  {
    version: 3,
    name: 'deferred jobs',
    // due_at is when a queued job may run, or when a running job's lease runs out; the same
    // for webhook_due_at and a webhook claim. The partial indexes hold only claimable rows.
    sql: `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        request TEXT NOT NULL,
        result TEXT,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        due_at INTEGER NOT NULL,
        lease_token TEXT,
        webhook_url TEXT,
        webhook_status TEXT NOT NULL
          CHECK (webhook_status IN ('none', 'pending', 'delivered', 'failed')),
        webhook_attempts INTEGER NOT NULL DEFAULT 0,
        webhook_due_at INTEGER,
        webhook_token TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        completed_at INTEGER
      ) STRICT;
      CREATE INDEX jobs_runnable ON jobs (due_at, created_at)
        WHERE status IN ('queued', 'running');
      CREATE INDEX jobs_webhooks_due ON jobs (webhook_due_at)
        WHERE webhook_status = 'pending' AND webhook_due_at IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'audit log',
    // AUTOINCREMENT so a seq is never handed out twice, and the triggers make the table
    // append-only for every writer, not only for Rampart's own statements. The reason is JSON
    // text, which keeps lone surrogates that UTF-8 text would lose.
    sql: `
      CREATE TABLE audit_entries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        at INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        role TEXT NOT NULL,
        session_id TEXT,
        request_id TEXT,
        tool TEXT NOT NULL,
        call_id TEXT NOT NULL,
        arguments_digest TEXT NOT NULL CHECK (length(arguments_digest) = 64),
        verdict TEXT NOT NULL CHECK (verdict IN
          ('allowed', 'denied', 'confirmation-required', 'approved', 'rejected')),
        rule TEXT NOT NULL,
        reason TEXT NOT NULL
      ) STRICT;
      CREATE INDEX audit_entries_by_user ON audit_entries (user_id, seq);
      CREATE INDEX audit_entries_by_tool ON audit_entries (tool, seq);
      CREATE INDEX audit_entries_by_session ON audit_entries (session_id, seq)
        WHERE session_id IS NOT NULL;
      CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
      BEGIN
        SELECT RAISE(ABORT, 'audit_entries is append-only: UPDATE refused');
      END;
      CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
      BEGIN
        SELECT RAISE(ABORT, 'audit_entries is append-only: DELETE refused');
      END;
      -- INSERT OR REPLACE removes the old row without firing DELETE triggers (unless the
      -- writer's own connection turns recursive triggers on): refuse any insert that would
      -- land on an existing entry.
      CREATE TRIGGER audit_entries_no_replace BEFORE INSERT ON audit_entries
      WHEN EXISTS (SELECT 1 FROM audit_entries WHERE seq = NEW.seq OR id = NEW.id)
      BEGIN
        SELECT RAISE(ABORT, 'audit_entries is append-only: REPLACE refused');
      END;
    `,
  },
  {
    version: 5,
    name: 'session state',
    sql: "ALTER TABLE sessions ADD COLUMN state TEXT NOT NULL DEFAULT '{}';",
  },
  {
    version: 6,
    name: 'api key teams',
    sql: 'ALTER TABLE api_keys ADD COLUMN team TEXT;',
  },
  {
    version: 7,
    name: 'usage ledger',
    // One row per turn with its whole spend, and one per target it used with the turn's time,
    // user and session copied, so each sum reads one table. Money is integer nanodollars.
    sql: `
      CREATE TABLE usage_turns (
        id TEXT PRIMARY KEY,
        at INTEGER NOT NULL,
        request_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        key_id TEXT NOT NULL,
        team TEXT,
        session_id TEXT,
        route TEXT NOT NULL,
        input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
        output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
        cached_tokens INTEGER NOT NULL CHECK (cached_tokens >= 0),
        cache_write_tokens INTEGER NOT NULL CHECK (cache_write_tokens >= 0),
        estimated INTEGER NOT NULL CHECK (estimated IN (0, 1)),
        model_cost INTEGER NOT NULL CHECK (model_cost >= 0),
        tool_cost INTEGER NOT NULL CHECK (tool_cost >= 0),
        tool_calls INTEGER NOT NULL CHECK (tool_calls >= 0),
        memory_cost INTEGER NOT NULL CHECK (memory_cost >= 0),
        memory_operations INTEGER NOT NULL CHECK (memory_operations >= 0),
        total_cost INTEGER NOT NULL CHECK (total_cost >= 0),
        outcome TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX usage_turns_by_time ON usage_turns (at);
      CREATE INDEX usage_turns_by_user ON usage_turns (user_id, at);
      CREATE INDEX usage_turns_by_session ON usage_turns (session_id, at)
        WHERE session_id IS NOT NULL;

      CREATE TABLE usage_models (
        turn_id TEXT NOT NULL REFERENCES usage_turns (id),
        target TEXT NOT NULL,
        model TEXT NOT NULL,
        at INTEGER NOT NULL,
        user_id TEXT NOT NULL,
        session_id TEXT,
        input_tokens INTEGER NOT NULL CHECK (input_tokens >= 0),
        output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
        cached_tokens INTEGER NOT NULL CHECK (cached_tokens >= 0),
        cache_write_tokens INTEGER NOT NULL CHECK (cache_write_tokens >= 0),
        estimated INTEGER NOT NULL CHECK (estimated IN (0, 1)),
        cost INTEGER NOT NULL CHECK (cost >= 0),
        PRIMARY KEY (turn_id, target)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX usage_models_by_time ON usage_models (at);
      CREATE INDEX usage_models_by_user ON usage_models (user_id, at);
    `,
  },
  {
    version: 8,
    name: 'budget counters',
    // What a counter holds is the sum of its unexpired holds, not a column, so a lease that ends
    // gives its room back without anyone writing. A counter outlives its holds (its expiry is
    // pushed past every lease), and the holds go with it by cascade.
    sql: `
      CREATE TABLE budget_counters (
        key TEXT PRIMARY KEY,
        spent INTEGER NOT NULL CHECK (spent >= 0),
        cap INTEGER NOT NULL CHECK (cap >= 0),
        warned INTEGER NOT NULL CHECK (warned IN (0, 1)),
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX budget_counters_by_expiry ON budget_counters (expires_at);

      CREATE TABLE budget_holds (
        counter_key TEXT NOT NULL REFERENCES budget_counters (key) ON DELETE CASCADE,
        reservation_id TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount >= 0),
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (counter_key, reservation_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX budget_holds_by_expiry ON budget_holds (expires_at);
    `,
  },
  {
    version: 9,
    name: 'stats rollups',
    // Rollups that every write adds to, per minute and per hour (`unit` is 60000 or 3600000 ms):
    // counters and bucket counts add, maxima keep the larger. The unit and start lead every key,
    // so a window is one range scan and retention one range delete. `stats_writes` makes a
    // retried write count once, and says which instances wrote to a minute (or an hour).
    sql: `
      CREATE TABLE stats_counters (
        unit INTEGER NOT NULL,
        start INTEGER NOT NULL,
        name TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value >= 0),
        PRIMARY KEY (unit, start, name)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE stats_maxima (
        unit INTEGER NOT NULL,
        start INTEGER NOT NULL,
        name TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value >= 0),
        PRIMARY KEY (unit, start, name)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE stats_buckets (
        unit INTEGER NOT NULL,
        start INTEGER NOT NULL,
        series TEXT NOT NULL,
        value INTEGER NOT NULL CHECK (value >= 0),
        count INTEGER NOT NULL CHECK (count > 0),
        PRIMARY KEY (unit, start, series, value)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE stats_writes (
        minute INTEGER NOT NULL,
        id TEXT NOT NULL,
        instance TEXT NOT NULL,
        PRIMARY KEY (minute, id)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    name: 'anomaly baselines and alerts',
    // One row per series, key and slot of the detector's history, and the last slot processed.
    // At most one open alert per subject is the partial unique index, so two writers cannot
    // both open it. A delivery row is the webhook an alert's transition still owes one URL; it
    // goes once delivered or given up, and with its alert.
    sql: `
      CREATE TABLE anomaly_baseline (
        series TEXT NOT NULL,
        key TEXT NOT NULL,
        slot INTEGER NOT NULL,
        value REAL NOT NULL,
        volume INTEGER NOT NULL CHECK (volume >= 0),
        PRIMARY KEY (series, key, slot)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX anomaly_baseline_by_slot ON anomaly_baseline (slot);

      CREATE TABLE anomaly_marks (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE anomaly_leases (
        name TEXT PRIMARY KEY,
        holder TEXT NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE alerts (
        id TEXT PRIMARY KEY,
        subject TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('anomaly', 'threshold')),
        series TEXT NOT NULL,
        key TEXT NOT NULL,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        state TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
        opened_at INTEGER NOT NULL,
        resolved_at INTEGER,
        value REAL NOT NULL,
        baseline_median REAL,
        baseline_mad REAL,
        deviations REAL,
        message TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX alerts_one_open ON alerts (subject) WHERE state = 'open';
      CREATE INDEX alerts_by_opened_at ON alerts (opened_at);
      CREATE INDEX alerts_by_resolved_at ON alerts (resolved_at) WHERE state = 'resolved';

      CREATE TABLE alert_deliveries (
        id TEXT PRIMARY KEY,
        alert_id TEXT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
        event TEXT NOT NULL CHECK (event IN ('opened', 'resolved')),
        url TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        due_at INTEGER NOT NULL,
        token TEXT
      ) STRICT;
      CREATE INDEX alert_deliveries_by_due_at ON alert_deliveries (due_at);
      CREATE INDEX alert_deliveries_by_alert ON alert_deliveries (alert_id);
    `,
  },
];

/**
 * Brings the schema up to date: each pending migration runs in its own IMMEDIATE transaction
 * together with its `schema_migrations` row, so a failure leaves the previous version intact and
 * two processes starting at once cannot both apply the same step. Returns the schema version.
 */
export function migrate(database: SqliteDatabase, migrations = MIGRATIONS): number {
  database.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    ) STRICT
  `);
  const latest = migrations.at(-1)?.version ?? 0;
  refuseNewerSchema(schemaVersion(database), latest);

  for (const migration of migrations) {
    database.transaction(() => apply(database, migration)).immediate();
  }
  return schemaVersion(database);
}

function apply(database: SqliteDatabase, migration: Migration): void {
  // Checked inside the transaction: another process may have applied it since we looked.
  if (schemaVersion(database) >= migration.version) return;
  database.exec(migration.sql);
  database
    .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
    .run(migration.version, migration.name, new Date().toISOString());
}

/** The highest applied migration, 0 for a new database. */
export function schemaVersion(database: SqliteDatabase): number {
  const row = database.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

function refuseNewerSchema(current: number, latest: number): void {
  if (current <= latest) return;
  throw new RampartError(
    'RAMPART_CONFIG_INVALID',
    `The database schema is at version ${current}, newer than this build knows (${latest}). ` +
      'Upgrade Rampart or point it at another data directory.',
  );
}
