import { RampartError } from '../../core/index.js';
import type { Store } from '../types.js';
import { SqliteAlertStore } from './sqlite-alert-store.js';
import { SqliteAuditLog } from './sqlite-audit-log.js';
import { SqliteBaselineStore } from './sqlite-baseline-store.js';
import { SqliteBudgetStore } from './sqlite-budget-store.js';
import { openDatabase, type SqliteDatabase } from './database.js';
import { migrate, schemaVersion } from './migrations.js';
import { SqliteJobStore } from './sqlite-job-store.js';
import { SqliteKeyStore } from './sqlite-key-store.js';
import { SqliteSessionStore } from './sqlite-session-store.js';
import { SqliteStatsStore } from './sqlite-stats-store.js';
import { SqliteUsageLedger } from './sqlite-usage-ledger.js';

const DEFAULT_STATS_RETENTION_MS = 24 * 3_600_000;

export interface SqliteStoreOptions {
  /** The database file (its directory is created), or `:memory:` for a private in-memory one. */
  path: string;
  /**
   * Milliseconds since the epoch, for timestamps, lease and budget expiry. Default `Date.now`.
   */
  clock?: () => number;
  /**
   * A session not created or committed to for this long is gone (reads miss it, turns find
   * nothing; its rows are purged on later writes). Default: sessions never expire.
   */
  sessionIdleTtlMs?: number;
  /** How long stats rollups keep a minute (and an hour). Default 24 hours. */
  statsRetentionMs?: number;
}

/** The embedded backend: every store in one SQLite database. */
export interface SqliteStore extends Store {
  keys: SqliteKeyStore;
  sessions: SqliteSessionStore;
  /** Deferred jobs and their webhooks. */
  jobs: SqliteJobStore;
  /** The append-only log of tool-call authorization decisions. */
  audit: SqliteAuditLog;
  /** Every turn's tokens and cost. */
  usage: SqliteUsageLedger;
  /** Budget counters and the reservations held on them. */
  budgets: SqliteBudgetStore;
  /** Per-minute stats rollups. */
  stats: SqliteStatsStore;
  /** Alerts, their webhook outbox and the anomaly evaluator's lease. */
  alerts: SqliteAlertStore;
  /** The anomaly detector's history of past days. */
  baselines: SqliteBaselineStore;
  /** The applied schema version. */
  schemaVersion(): number;
}

/** Opens the database, applies pending migrations and returns the stores over it. */
export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const clock = options.clock ?? Date.now;
  const database = openMigrated(options.path);
  let closed = false;
  let sessions: SqliteSessionStore;
  let stats: SqliteStatsStore;
  try {
    sessions = new SqliteSessionStore(database, clock, { idleTtlMs: options.sessionIdleTtlMs });
    const retentionMs = options.statsRetentionMs ?? DEFAULT_STATS_RETENTION_MS;
    stats = new SqliteStatsStore(database, clock, retentionMs);
  } catch (error) {
    database.close();
    throw error;
  }
  return {
    keys: new SqliteKeyStore(database, clock),
    sessions,
    jobs: new SqliteJobStore(database, clock),
    audit: new SqliteAuditLog(database, clock),
    usage: new SqliteUsageLedger(database),
    budgets: new SqliteBudgetStore(database, clock),
    stats,
    alerts: new SqliteAlertStore(database, clock),
    baselines: new SqliteBaselineStore(database),
    schemaVersion: () => schemaVersion(database),
    close: () => {
      if (!closed) database.close();
      closed = true;
      return Promise.resolve();
    },
  };
}

function openMigrated(path: string): SqliteDatabase {
  let database: SqliteDatabase | undefined;
  try {
    database = openDatabase(path);
    migrate(database);
    return database;
  } catch (error) {
    database?.close();
    if (error instanceof RampartError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new RampartError(
      'RAMPART_CONFIG_INVALID',
      `Cannot open the SQLite database at ${path}: ${reason}`,
      { cause: error },
    );
  }
}
