import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { decision, describeAuditLogContract, type AuditLogHarness } from '../contract/index.js';
import { describeWithPostgres } from '../test-support/services.js';
import { openPostgresRecords, type PostgresRecords } from './open-postgres-records.js';
import {
  dropSchema,
  queryDirect,
  recordsHarness,
  throwawaySchema,
} from './test-support/test-database.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';

const LATEST_VERSION = POSTGRES_MIGRATIONS.at(-1)?.version;

/** The records harness, with raw statements run on a connection of their own in the schema. */
async function auditHarness(url: string): Promise<AuditLogHarness> {
  const harness = await recordsHarness(url, (records) => records);
  const { schema } = harness.store;
  const audit = (records: PostgresRecords) => records.audit;
  return {
    ...harness,
    store: audit(harness.store),
    reopen: async () => audit(await harness.reopen!()),
    connectAnother: async () => audit(await harness.connectAnother!()),
    execute: async (sql) => {
      await queryDirect(url, `SET search_path TO ${pg.escapeIdentifier(schema)}; ${sql}`);
    },
    overwrite: (seq) =>
      `INSERT INTO audit_entries OVERRIDING SYSTEM VALUE SELECT * FROM audit_entries ` +
      `WHERE seq = ${seq} ON CONFLICT (seq) DO UPDATE SET verdict = 'allowed'`,
  };
}

describeWithPostgres('postgres audit', (url) => {
  describeAuditLogContract('postgres', () => auditHarness(url), {
    durable: true,
    sharedClients: true,
  });
});

describeWithPostgres('PostgresAuditLog', (databaseUrl) => {
  let schema: string;
  let records: PostgresRecords;

  // No clock: entries are timed by the database.
  beforeEach(async () => {
    schema = throwawaySchema();
    records = await openPostgresRecords({ url: databaseUrl, schema, maxConnections: 4 });
  });
  afterEach(async () => {
    await records.close();
    await dropSchema(databaseUrl, schema);
  });

  // Two statements in one simple query; only whether it fails matters here.
  const direct = (sql: string) =>
    queryDirect(databaseUrl, `SET search_path TO ${pg.escapeIdentifier(schema)}; ${sql}`);

  it('adds the audit table in its own migration', async () => {
    expect(records.schemaVersion).toBe(LATEST_VERSION);
    const rows = await queryDirect(
      databaseUrl,
      `SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`,
    );
    expect(rows[2]).toEqual({ version: 3, name: 'audit log' });
    const functions = await queryDirect(
      databaseUrl,
      `SELECT nspname FROM pg_proc JOIN pg_namespace ON pg_namespace.oid = pronamespace
       WHERE proname = 'audit_entries_refuse_change' AND nspname IN ($1, 'public')`,
      [schema],
    );
    // In the schema it was asked for, not in the shared default one (other schemas in the
    // database are other deployments').
    expect(functions).toEqual([{ nspname: schema }]);
  });

  it('refuses TRUNCATE, and UPDATE or DELETE even when no row matches', async () => {
    await records.audit.append(decision());

    for (const [sql, operation] of [
      ['TRUNCATE audit_entries', 'TRUNCATE'],
      ["UPDATE audit_entries SET rule = 'x' WHERE false", 'UPDATE'],
      ['DELETE FROM audit_entries WHERE seq < 0', 'DELETE'],
    ]) {
      await expect(direct(sql!)).rejects.toThrow(
        `audit_entries is append-only: ${operation!} refused`,
      );
    }
    expect(await records.audit.list()).toHaveLength(1);
  });

  it('times entries by the database clock, to the millisecond', async () => {
    const [{ now }] = (await queryDirect<{ now: Date }>(databaseUrl, 'SELECT now()')) as [
      { now: Date },
    ];
    const appended = await records.audit.append(decision());

    expect(Math.abs(Date.parse(appended.at) - now.getTime())).toBeLessThan(5_000);
    const rows = await queryDirect(
      databaseUrl,
      `SELECT extract(microseconds FROM at)::int % 1000 AS micro FROM ${schema}.audit_entries`,
    );
    expect(rows).toEqual([{ micro: 0 }]);
    expect(await records.audit.list({ since: appended.at })).toEqual([appended]);
  });

  it('keeps identity text as bytea and the reason as JSON text', async () => {
    await records.audit.append(decision({ userId: 'a\u0000b', reason: 'NUL \u0000 here' }));

    const rows = await queryDirect(
      databaseUrl,
      `SELECT user_id, reason FROM ${schema}.audit_entries`,
    );
    expect(rows).toEqual([
      { user_id: Buffer.from('a\u0000b', 'utf8'), reason: '"NUL \\u0000 here"' },
    ]);
  });

  it('reports a query that cannot succeed as not retryable', async () => {
    await dropSchema(databaseUrl, schema);

    await expect(records.audit.append(decision())).rejects.toMatchObject({
      code: 'RAMPART_INTERNAL',
      retryable: false,
      message: expect.stringMatching(/does not exist$/) as string,
    });
  });
});
