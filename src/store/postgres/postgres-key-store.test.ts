import pg from 'pg';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { hashApiKey } from '../api-key-format.js';
import { describeKeyStoreContract } from '../contract/index.js';
import { openPostgresRecords, type PostgresRecords } from './open-postgres-records.js';
import { describeWithPostgres } from '../test-support/services.js';
import {
  dropSchema,
  queryDirect,
  recordsHarness,
  throwawaySchema,
} from './test-support/test-database.js';

describeWithPostgres('postgres records', (url) => {
  describeKeyStoreContract('postgres', () => recordsHarness(url, (records) => records.keys), {
    durable: true,
    sharedClients: true,
  });
});

const alice = { userId: 'alice', role: 'user', tier: 'free', permissions: ['tools:web'] };

describeWithPostgres('PostgresKeyStore', (databaseUrl) => {
  let schema: string;
  let records: PostgresRecords;

  beforeEach(async () => {
    schema = throwawaySchema();
    records = await openPostgresRecords({ url: databaseUrl, schema, maxConnections: 2 });
  });
  afterEach(async () => {
    await records.close();
    await dropSchema(databaseUrl, schema);
  });

  it('stores only the SHA-256 of a key, never the secret', async () => {
    const { key, record } = await records.keys.create(alice);

    const rows = await queryDirect(databaseUrl, `SELECT * FROM ${schema}.api_keys`);

    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.id).toBe(record.id);
    expect(Buffer.from(row.hash as Buffer).equals(hashApiKey(key))).toBe(true);
    const stored = JSON.stringify(Object.values(row).map((value) => String(value)));
    expect(stored).not.toContain(key.slice(20));
  });

  it('keeps a NUL in identity text, which PostgreSQL text columns refuse', async () => {
    const userId = 'a\u0000b';
    const { key } = await records.keys.create({ ...alice, userId, label: '\u0000' });

    expect((await records.keys.authenticate(key))?.userId).toBe(userId);
    expect(await records.keys.list(userId)).toMatchObject([{ userId, label: '\u0000' }]);
    expect(await records.keys.list('a')).toEqual([]);
  });

  it('does not list a U+FFFD user’s keys for a lone surrogate', async () => {
    await records.keys.create({ ...alice, userId: '\uFFFD' });

    expect(await records.keys.list('\uD800')).toEqual([]);
    expect(await records.keys.list('\uFFFD')).toHaveLength(1);
  });

  it('answers ids that cannot exist with false, even ones PostgreSQL would refuse', async () => {
    const { record } = await records.keys.create(alice);

    for (const id of ['', '\u0000', `${record.id}\u0000`, record.id.toUpperCase(), 'x\uD800']) {
      expect(await records.keys.revoke(id)).toBe(false);
    }
    expect(await records.keys.revoke(record.id)).toBe(true);
  });

  it('fails a query held up by a lock within the statement timeout, as retryable', async () => {
    const slow = await openPostgresRecords({ url: databaseUrl, schema, statementTimeoutMs: 100 });
    const blocker = new pg.Client({ connectionString: databaseUrl });
    await blocker.connect();
    await blocker.query(`BEGIN; LOCK TABLE ${schema}.api_keys IN ACCESS EXCLUSIVE MODE`);
    try {
      const started = Date.now();
      await expect(slow.keys.list()).rejects.toMatchObject({
        code: 'RAMPART_STATE_UNAVAILABLE',
        retryable: true,
        message: 'The PostgreSQL store failed: canceling statement due to statement timeout',
      });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
      await slow.close();
    }
  });

  it('reports a query that cannot succeed as not retryable', async () => {
    await dropSchema(databaseUrl, schema);

    await expect(records.keys.list()).rejects.toMatchObject({
      code: 'RAMPART_INTERNAL',
      retryable: false,
      message: expect.stringMatching(/does not exist$/) as string,
    });
  });
});
