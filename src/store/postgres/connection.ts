import pg from 'pg';
import type { Pool } from 'pg';
import { RampartError, redactUrl as redactCredentials, type Logger } from '../../core/index.js';

/** The same rule as the `records.schema` config key: a plain lower-case identifier. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The client-side read timeout trails the server's statement timeout, so a slow statement is
 * normally cancelled by the server (a clean error, the connection stays usable) and the client
 * timer only fires when the server or the network has gone silent.
 */
const READ_TIMEOUT_MARGIN_MS = 1_000;

export interface PoolSettings {
  url: string;
  maxConnections: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  idleTimeoutMs: number;
  logger?: Logger | undefined;
}

/**
 * A bounded pool whose every wait has an end: getting a connection (including waiting for a free
 * one), each statement on the server, and each read on the client.
 */
export function createPool(settings: PoolSettings): Pool {
  const pool = new pg.Pool({
    connectionString: settings.url,
    max: settings.maxConnections,
    connectionTimeoutMillis: settings.connectTimeoutMs,
    idleTimeoutMillis: settings.idleTimeoutMs,
    statement_timeout: settings.statementTimeoutMs,
    query_timeout: settings.statementTimeoutMs + READ_TIMEOUT_MARGIN_MS,
    // A transaction left open by a stalled instance would otherwise hold its locks indefinitely.
    idle_in_transaction_session_timeout: settings.statementTimeoutMs,
    application_name: 'rampart',
    keepAlive: true,
  });
  // An idle connection that breaks (a server restart) is dropped by the pool and replaced on
  // the next query; without a listener the 'error' event would end the process.
  pool.on('error', (error) => {
    // The error drags the whole client along; its message and code say what happened.
    const { message, code } = error as Error & { code?: string };
    settings.logger?.warn({ reason: message, code }, 'PostgreSQL idle connection failed');
  });
  return pool;
}

/**
 * A client of its own for migrations, with the same connection settings as the pool but a
 * longer statement timeout: a migration (or waiting for another instance's) may take longer
 * than any ordinary query should.
 */
export function createMigrationClient(pool: Pool, timeoutMs: number): pg.Client {
  const client = new pg.Client({
    ...pool.options,
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs + READ_TIMEOUT_MARGIN_MS,
  });
  // Failures reach the awaited query; this keeps a broken socket from ending the process.
  client.on('error', () => undefined);
  return client;
}

/** Checks a schema name and returns it quoted for use in SQL text. */
export function quoteSchemaName(schema: string): string {
  if (typeof schema === 'string' && SCHEMA_NAME.test(schema)) return pg.escapeIdentifier(schema);
  throw new RampartError(
    'RAMPART_CONFIG_INVALID',
    `Invalid PostgreSQL schema name ${JSON.stringify(schema)}: use lower-case letters, digits ` +
      'and underscores, starting with a letter or underscore (at most 63 characters).',
  );
}

/**
 * The URL with its password masked, fit for error messages and logs. Its path, the database's
 * name, is kept: it is no secret, and it says which database could not be reached.
 */
export function redactUrl(url: string): string {
  return redactCredentials(url, { unparsable: 'the configured PostgreSQL URL', pathTokens: false });
}
