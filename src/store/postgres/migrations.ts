import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import { RampartError } from '../../core/index.js';
import { quoteSchemaName } from './connection.js';

/**
 * One schema step. Versions only grow; a released migration is never edited. The SQL names
 * tables without a schema: it runs with the search path set to Rampart's schema alone.
 */
export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Identity text is stored as UTF-8 `bytea` because PostgreSQL `text` cannot hold U+0000, which
 * a user id or label may contain; the contract demands such text back exactly. Permissions are a
 * JSON array in `text`: JSON escapes U+0000, and `jsonb` would refuse the escape. `seq` orders
 * keys created in the same millisecond, as SQLite's rowid does.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'api keys',
    sql: `
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        hash bytea NOT NULL,
        user_id bytea NOT NULL,
        role bytea NOT NULL,
        tier bytea NOT NULL,
        permissions text NOT NULL,
        label bytea,
        created_at timestamptz NOT NULL,
        revoked_at timestamptz
      );
      CREATE INDEX api_keys_by_age ON api_keys (created_at, seq);
      CREATE INDEX api_keys_by_user ON api_keys (user_id, created_at, seq);
    `,
  },
  {
    version: 2,
    name: 'deferred jobs',
    // Owner and kind are identity text, as bytea like the keys' (see above). Request, result
    // and error are JSON in text, not jsonb: jsonb refuses the \u0000 escape and reorders keys,
    // so neither would read back exactly. due_at is when a queued job may run or when a
    // running job's lease runs out; webhook_due_at likewise for a webhook. The partial indexes
    // hold only the rows a claim looks at.
    sql: `
      CREATE TABLE jobs (
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        owner bytea NOT NULL,
        kind bytea NOT NULL,
        status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        request text NOT NULL,
        result text,
        error text,
        attempts integer NOT NULL DEFAULT 0,
        due_at timestamptz NOT NULL,
        lease_token text,
        webhook_url text,
        webhook_status text NOT NULL
          CHECK (webhook_status IN ('none', 'pending', 'delivered', 'failed')),
        webhook_attempts integer NOT NULL DEFAULT 0,
        webhook_due_at timestamptz,
        webhook_token text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        completed_at timestamptz
      );
      CREATE INDEX jobs_runnable ON jobs (due_at, created_at, seq)
        WHERE status IN ('queued', 'running');
      CREATE INDEX jobs_webhooks_due ON jobs (webhook_due_at)
        WHERE webhook_status = 'pending' AND webhook_due_at IS NOT NULL;
    `,
  },
  {
    version: 3,
    name: 'audit log',
    // Identity text is bytea as above; the reason is JSON in text, which escapes NUL and lone
    // surrogates. Statement-level triggers refuse every UPDATE, DELETE and TRUNCATE, even one
    // that matches no row, so the table is append-only for every writer. The function names
    // no table, so it works whatever the search path of the session that fires it.
    sql: `
      CREATE TABLE audit_entries (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        id text NOT NULL UNIQUE,
        at timestamptz NOT NULL,
        user_id bytea NOT NULL,
        key_id bytea NOT NULL,
        role bytea NOT NULL,
        session_id bytea,
        request_id bytea,
        tool bytea NOT NULL,
        call_id bytea NOT NULL,
        arguments_digest text NOT NULL CHECK (arguments_digest ~ '^[0-9a-f]{64}$'),
        verdict text NOT NULL CHECK (verdict IN
          ('allowed', 'denied', 'confirmation-required', 'approved', 'rejected')),
        rule bytea NOT NULL,
        reason text NOT NULL
      );
      CREATE INDEX audit_entries_by_user ON audit_entries (user_id, seq);
      CREATE INDEX audit_entries_by_tool ON audit_entries (tool, seq);
      CREATE INDEX audit_entries_by_session ON audit_entries (session_id, seq)
        WHERE session_id IS NOT NULL;
      CREATE FUNCTION audit_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_entries is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END;
      $$;
      CREATE TRIGGER audit_entries_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_entries
        FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_refuse_change();
    `,
  },
  {
    version: 4,
    name: 'api key teams',
    // bytea like the other identity text of a key.
    sql: 'ALTER TABLE api_keys ADD COLUMN team bytea;',
  },
  {
    version: 5,
    name: 'usage ledger',
    // One row per turn with its whole spend, and one per target it used with the turn's time,
    // user and session copied, so each sum reads one table. Identity text is bytea as above;
    // times are milliseconds since the epoch, compared with the day buckets queries bring;
    // money is integer nanodollars. `estimated` is 0 or 1 so MAX() reads it in both backends.
    sql: `
      CREATE TABLE usage_turns (
        id bytea PRIMARY KEY,
        at bigint NOT NULL,
        request_id bytea NOT NULL,
        user_id bytea NOT NULL,
        key_id bytea NOT NULL,
        team bytea,
        session_id bytea,
        route bytea NOT NULL,
        input_tokens bigint NOT NULL CHECK (input_tokens >= 0),
        output_tokens bigint NOT NULL CHECK (output_tokens >= 0),
        cached_tokens bigint NOT NULL CHECK (cached_tokens >= 0),
        cache_write_tokens bigint NOT NULL CHECK (cache_write_tokens >= 0),
        estimated smallint NOT NULL CHECK (estimated IN (0, 1)),
        model_cost bigint NOT NULL CHECK (model_cost >= 0),
        tool_cost bigint NOT NULL CHECK (tool_cost >= 0),
        tool_calls bigint NOT NULL CHECK (tool_calls >= 0),
        memory_cost bigint NOT NULL CHECK (memory_cost >= 0),
        memory_operations bigint NOT NULL CHECK (memory_operations >= 0),
        total_cost bigint NOT NULL CHECK (total_cost >= 0),
        outcome bytea NOT NULL
      );
      CREATE INDEX usage_turns_by_time ON usage_turns (at);
      CREATE INDEX usage_turns_by_user ON usage_turns (user_id, at);
      CREATE INDEX usage_turns_by_session ON usage_turns (session_id, at)
        WHERE session_id IS NOT NULL;

      CREATE TABLE usage_models (
        turn_id bytea NOT NULL REFERENCES usage_turns (id),
        target bytea NOT NULL,
        model bytea NOT NULL,
        at bigint NOT NULL,
        user_id bytea NOT NULL,
        session_id bytea,
        input_tokens bigint NOT NULL CHECK (input_tokens >= 0),
        output_tokens bigint NOT NULL CHECK (output_tokens >= 0),
        cached_tokens bigint NOT NULL CHECK (cached_tokens >= 0),
        cache_write_tokens bigint NOT NULL CHECK (cache_write_tokens >= 0),
        estimated smallint NOT NULL CHECK (estimated IN (0, 1)),
        cost bigint NOT NULL CHECK (cost >= 0),
        PRIMARY KEY (turn_id, target)
      );
      CREATE INDEX usage_models_by_time ON usage_models (at);
      CREATE INDEX usage_models_by_user ON usage_models (user_id, at);
    `,
  },
];

export interface MigrateOptions {
  schema: string;
  /** Default `POSTGRES_MIGRATIONS`. */
  migrations?: readonly PostgresMigration[];
}

/**
 * Brings the schema up to date in one transaction: either every pending migration is applied
 * with its `schema_migrations` row, or none is. The transaction first takes an advisory lock
 * derived from the schema name, so instances starting together queue up and only the first
 * applies anything; the rest find the work done. Returns the schema version.
 */
export async function migrate(client: ClientBase, options: MigrateOptions): Promise<number> {
  const migrations = options.migrations ?? POSTGRES_MIGRATIONS;
  await client.query('BEGIN');
  try {
    const version = await migrateLocked(client, options.schema, migrations);
    await client.query('COMMIT');
    return version;
  } catch (error) {
    // The connection may be what failed; the transaction dies with it either way.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function migrateLocked(
  client: ClientBase,
  schema: string,
  migrations: readonly PostgresMigration[],
): Promise<number> {
  const quoted = quoteSchemaName(schema);
  await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey(schema)]);
  await ensureSchema(client, schema, quoted);
  await client.query("SELECT set_config('search_path', $1, true)", [quoted]);
  await client.query(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )
  `);

  const current = await schemaVersion(client);
  const latest = migrations.at(-1)?.version ?? 0;
  refuseNewerSchema(schema, current, latest);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    await client.query(migration.sql);
    await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
      migration.version,
      migration.name,
    ]);
  }
  return Math.max(current, latest);
}

/**
 * Creates the schema only when it is missing: `CREATE SCHEMA IF NOT EXISTS` still demands the
 * CREATE privilege on the database, which a role that merely owns an existing schema may lack.
 */
async function ensureSchema(client: ClientBase, schema: string, quoted: string): Promise<void> {
  const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (found.rowCount === 0) await client.query(`CREATE SCHEMA ${quoted}`);
}

/** The highest applied migration, 0 for a new schema; the search path must name the schema. */
async function schemaVersion(client: ClientBase): Promise<number> {
  const result = await client.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  return result.rows[0]?.version ?? 0;
}

/** A 64-bit lock key per schema, so migrating one schema never waits on another's. */
export function migrationLockKey(schema: string): string {
  const digest = createHash('sha256').update(`rampart:migrations:${schema}`, 'utf8').digest();
  return digest.readBigInt64BE(0).toString();
}

function refuseNewerSchema(schema: string, current: number, latest: number): void {
  if (current <= latest) return;
  throw new RampartError(
    'RAMPART_CONFIG_INVALID',
    `The PostgreSQL schema ${schema} is at version ${current}, newer than this build knows ` +
      `(${latest}). Upgrade Rampart or configure another schema.`,
  );
}
