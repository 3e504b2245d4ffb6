import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeJobStoreContract } from '../contract/index.js';
import { describeWithPostgres } from '../test-support/services.js';
import { openPostgresRecords, type PostgresRecords } from './open-postgres-records.js';
import {
  dropSchema,
  queryDirect,
  recordsHarness,
  throwawaySchema,
} from './test-support/test-database.js';

describeWithPostgres('postgres jobs', (url) => {
  describeJobStoreContract('postgres', () => recordsHarness(url, (records) => records.jobs), {
    durable: true,
    sharedClients: true,
  });
});

describeWithPostgres('PostgresJobStore', (databaseUrl) => {
  let schema: string;
  let opened: PostgresRecords[];

  // No clock: the store reads the database's own.
  const open = async () => {
    opened.push(await openPostgresRecords({ url: databaseUrl, schema, maxConnections: 8 }));
    return opened.at(-1)!;
  };

  beforeEach(() => {
    schema = throwawaySchema();
    opened = [];
  });
  afterEach(async () => {
    await Promise.all(opened.map((records) => records.close()));
    await dropSchema(databaseUrl, schema);
  });

  it('times leases and delays by the database clock', async () => {
    const { jobs } = await open();
    const { id } = await jobs.create('alice', { kind: 'k', request: 1 });

    const first = await jobs.claim(300);
    expect(first?.job.id).toBe(id);
    expect(await jobs.claim(300)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 350));
    const second = await jobs.claim(60_000);
    expect(second?.job.attempts).toBe(2);

    expect(await jobs.requeue(id, second!.token, 300)).toBe(true);
    expect(await jobs.claim(60_000)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await jobs.claim(60_000))?.job.attempts).toBe(3);
  });

  it('gives each job to one of many instances claiming at once', async () => {
    const instances = await Promise.all(Array.from({ length: 4 }, () => open()));
    const created = await Promise.all(
      Array.from({ length: 60 }, (_, index) =>
        instances[0]!.jobs.create('alice', { kind: 'k', request: index }),
      ),
    );

    const claims = await Promise.all(
      Array.from({ length: 80 }, (_, index) => instances[index % 4]!.jobs.claim(60_000)),
    );

    const ids = claims.flatMap((claim) => (claim ? [claim.job.id] : []));
    expect(ids).toHaveLength(60);
    expect([...ids].sort()).toEqual(created.map((job) => job.id).sort());
    const rows = await queryDirect<{ attempts: number }>(
      databaseUrl,
      `SELECT DISTINCT attempts FROM ${schema}.jobs`,
    );
    expect(rows).toEqual([{ attempts: 1 }]);
  });

  it('keeps request JSON as text, so NUL escapes and key order survive', async () => {
    const { jobs } = await open();
    const request = { z: '\u0000', a: 1, nested: { b: [], a: null } };
    const { id } = await jobs.create('a\u0000b', { kind: 'k', request });

    const rows = await queryDirect<{ request: string }>(
      databaseUrl,
      `SELECT request FROM ${schema}.jobs`,
    );

    expect(rows).toEqual([{ request: JSON.stringify(request) }]);
    expect(JSON.stringify((await jobs.get('a\u0000b', id))?.request)).toBe(JSON.stringify(request));
    expect(await jobs.get('a', id)).toBeUndefined();
  });

  it('adds the jobs table in its own migration', async () => {
    const records = await open();

    expect(records.schemaVersion).toBe(4);
    const rows = await queryDirect(
      databaseUrl,
      `SELECT version, name FROM ${schema}.schema_migrations ORDER BY version`,
    );
    expect(rows[1]).toEqual({ version: 2, name: 'deferred jobs' });
  });

  it('reports a query that cannot succeed as not retryable', async () => {
    const { jobs } = await open();
    await dropSchema(databaseUrl, schema);

    await expect(jobs.claim(1000)).rejects.toMatchObject({
      code: 'RAMPART_INTERNAL',
      retryable: false,
      message: expect.stringMatching(/does not exist$/) as string,
    });
  });
});
