import type { Pool } from 'pg';
import { RampartError, type Logger } from '../../core/index.js';
import { createMigrationClient, createPool, quoteSchemaName, redactUrl } from './connection.js';
import { migrate } from './migrations.js';
import { PostgresAuditLog } from './postgres-audit-log.js';
import { PostgresJobStore } from './postgres-job-store.js';
import { PostgresKeyStore } from './postgres-key-store.js';
import { PostgresUsageLedger } from './postgres-usage-ledger.js';

export interface PostgresRecordsOptions {
  /** A connection URL such as `postgres://user@host:5432/db`; required unless `pool` is given. */
  url?: string;
  /**
   * An existing pool to use instead of opening one. The pool is the caller's: `close()` leaves
   * it open, and its own size and timeouts apply (the options below are ignored).
   */
  pool?: Pool;
  /** The schema holding Rampart's tables, created when missing. Default `rampart`. */
  schema?: string;
  /**
   * Milliseconds since the epoch, for record timestamps. Default `Date.now` for keys; jobs and
   * the audit log then read the database clock, which every instance shares (a set clock is
   * for tests).
   */
  clock?: () => number;
  /** Most connections the pool holds open. Default 10. */
  maxConnections?: number;
  /** Longest wait for a connection, including for a free one in a full pool. Default 5 s. */
  connectTimeoutMs?: number;
  /** Longest a statement may run before the server cancels it. Default 10 s. */
  statementTimeoutMs?: number;
  /** An idle connection is closed after this long. Default 30 s. */
  idleTimeoutMs?: number;
  /** Longest the start-up migration may take, waiting for other instances included. Default 60 s. */
  migrationTimeoutMs?: number;
  /** Receives a warning when an idle connection fails. Default: none. */
  logger?: Logger;
}

/** Durable records in PostgreSQL, shared by every instance that opens the same schema. */
export interface PostgresRecords {
  keys: PostgresKeyStore;
  /** Deferred jobs and their webhooks. */
  jobs: PostgresJobStore;
  /** The append-only log of tool-call authorization decisions. */
  audit: PostgresAuditLog;
  /** Every turn's tokens and cost. */
  usage: PostgresUsageLedger;
  /** The pool every store queries through. */
  pool: Pool;
  schema: string;
  /** The schema version after start-up migrations. */
  schemaVersion: number;
  /** Ends the pool if it was opened here; safe to call more than once. */
  close(): Promise<void>;
}

const DEFAULTS = {
  schema: 'rampart',
  maxConnections: 10,
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  migrationTimeoutMs: 60_000,
};

/**
 * Connects, applies pending migrations (once across all instances starting together) and
 * returns the stores. Fails with `RAMPART_CONFIG_INVALID` naming the database (password masked)
 * when it cannot be reached in time or its schema is newer than this build.
 */
export async function openPostgresRecords(
  options: PostgresRecordsOptions,
): Promise<PostgresRecords> {
  const schema = options.schema ?? DEFAULTS.schema;
  // A bad name is refused before anything connects.
  quoteSchemaName(schema);
  const pool = options.pool ?? createPool(poolSettings(options));
  const owned = options.pool === undefined;

  let schemaVersion: number;
  try {
    schemaVersion = await migrateSchema(pool, schema, options);
  } catch (error) {
    if (owned) await pool.end();
    throw openFailure(error, options, schema);
  }

  let closing: Promise<void> | undefined;
  return {
    keys: new PostgresKeyStore(pool, { schema, clock: options.clock ?? Date.now }),
    jobs: new PostgresJobStore(pool, { schema, clock: options.clock }),
    audit: new PostgresAuditLog(pool, { schema, clock: options.clock }),
    usage: new PostgresUsageLedger(pool, { schema }),
    pool,
    schema,
    schemaVersion,
    close: () => (closing ??= owned ? pool.end() : Promise.resolve()),
  };
}

function poolSettings(options: PostgresRecordsOptions) {
  if (options.url === undefined || options.url === '') {
    throw new RampartError('RAMPART_CONFIG_INVALID', 'PostgreSQL records need a url or a pool.');
  }
  return {
    url: options.url,
    maxConnections: options.maxConnections ?? DEFAULTS.maxConnections,
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    statementTimeoutMs: options.statementTimeoutMs ?? DEFAULTS.statementTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs,
    logger: options.logger,
  };
}

async function migrateSchema(pool: Pool, schema: string, options: PostgresRecordsOptions) {
  const client = createMigrationClient(
    pool,
    options.migrationTimeoutMs ?? DEFAULTS.migrationTimeoutMs,
  );
  try {
    await client.connect();
    return await migrate(client, { schema });
  } finally {
    await client.end();
  }
}

function openFailure(error: unknown, options: PostgresRecordsOptions, schema: string) {
  if (error instanceof RampartError) return error;
  const target = options.pool ? 'the given pool' : redactUrl(options.url ?? '');
  const reason = error instanceof Error ? error.message : String(error);
  return new RampartError(
    'RAMPART_CONFIG_INVALID',
    `Cannot open PostgreSQL records at ${target} (schema ${schema}): ${reason}`,
    { cause: error },
  );
}
