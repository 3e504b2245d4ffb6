import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isRampartError } from '../../core/index.js';
import { openPostgresRecords, type PostgresRecords } from './open-postgres-records.js';
import { describeWithPostgres } from '../test-support/services.js';
import { dropSchema, queryDirect, throwawaySchema } from './test-support/test-database.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';

const LATEST_VERSION = POSTGRES_MIGRATIONS.at(-1)?.version;

const alice = { userId: 'alice', role: 'user', tier: 'free', permissions: ['tools:web'] };

async function openError(options: Parameters<typeof openPostgresRecords>[0]): Promise<unknown> {
  return openPostgresRecords(options).then(
    async (records) => {
      await records.close();
      throw new Error('opened');
    },
    (error: unknown) => error,
  );
}

describe('openPostgresRecords without a database', () => {
  let server: Server;
  let port: number;
  let sockets: Set<Socket>;
  let connections: number;

  // Accepts connections and never answers: a database that hangs.
  beforeEach(async () => {
    sockets = new Set();
    connections = 0;
    server = createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      // Reads and drops what arrives, so the client's close is seen.
      socket.resume();
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterEach(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  it('fails fast when the server does not answer, naming it with the password masked', async () => {
    const started = Date.now();

    const error = await openError({
      url: `postgres://rampart:hunter2@127.0.0.1:${port}/records`,
      connectTimeoutMs: 200,
    });

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(isRampartError(error, 'RAMPART_CONFIG_INVALID')).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(
      `Cannot open PostgreSQL records at postgres://rampart:***@127.0.0.1:${port}/records ` +
        '(schema rampart): ',
    );
    expect(message).not.toContain('hunter2');
    expect(connections).toBe(1);
    await vi.waitFor(() => expect(sockets.size).toBe(0));
  });

  it('refuses a missing url and a bad schema name before connecting', async () => {
    const noUrl = await openError({});
    expect((noUrl as Error).message).toBe('PostgreSQL records need a url or a pool.');

    for (const schema of [
      'Rampart',
      'ramp-art',
      'a"; DROP SCHEMA public; --',
      '',
      'x'.repeat(64),
    ]) {
      const error = await openError({ url: `postgres://127.0.0.1:${port}/x`, schema });
      expect(isRampartError(error, 'RAMPART_CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toMatch(/^Invalid PostgreSQL schema name /);
    }
    expect(connections).toBe(0);
  });
});

describeWithPostgres('openPostgresRecords', (databaseUrl) => {
  let schema: string;
  const opened: PostgresRecords[] = [];

  const open = async (options: Partial<Parameters<typeof openPostgresRecords>[0]> = {}) => {
    const records = await openPostgresRecords({ url: databaseUrl, schema, ...options });
    opened.push(records);
    return records;
  };

  beforeEach(() => {
    schema = throwawaySchema();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((records) => records.close()));
    await dropSchema(databaseUrl, schema);
  });

  it('lets three instances start together on a new schema and migrates once', async () => {
    const instances = await Promise.all([open(), open(), open()]);

    expect(instances.map((records) => records.schemaVersion)).toEqual([
      LATEST_VERSION,
      LATEST_VERSION,
      LATEST_VERSION,
    ]);
    const migrations = await queryDirect(
      databaseUrl,
      `SELECT version, name FROM ${schema}.schema_migrations`,
    );
    expect(migrations).toEqual([
      { version: 1, name: 'api keys' },
      { version: 2, name: 'deferred jobs' },
      { version: 3, name: 'audit log' },
      ...POSTGRES_MIGRATIONS.slice(3).map(({ version, name }) => ({ version, name })),
    ]);

    const [first, second, third] = instances;
    const { key, record } = await first.keys.create(alice);
    expect(await second.keys.authenticate(key)).toEqual({
      userId: 'alice',
      role: 'user',
      tier: 'free',
      permissions: ['tools:web'],
      keyId: record.id,
    });
    expect(await third.keys.revoke(record.id)).toBe(true);
    expect(await first.keys.authenticate(key)).toBeUndefined();
    expect((await second.keys.list('alice'))[0]?.revokedAt).toBeDefined();
  });

  it('refuses a schema that a newer build migrated', async () => {
    await (await open()).close();
    await queryDirect(
      databaseUrl,
      `INSERT INTO ${schema}.schema_migrations (version, name) VALUES (99, 'future')`,
    );

    const error = await openError({ url: databaseUrl, schema });

    expect(isRampartError(error, 'RAMPART_CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(
      `The PostgreSQL schema ${schema} is at version 99, newer than this build knows (${LATEST_VERSION}).`,
    );
  });

  it('applies the statement timeout and pool size it was given', async () => {
    const records = await open({ statementTimeoutMs: 150, maxConnections: 3 });

    const { rows } = await records.pool.query<{ statement_timeout: string }>(
      'SHOW statement_timeout',
    );
    expect(rows[0]?.statement_timeout).toBe('150ms');
    expect(records.pool.options.max).toBe(3);
    await expect(records.pool.query('SELECT pg_sleep(2)')).rejects.toThrow(
      'canceling statement due to statement timeout',
    );
  });

  it('uses a given pool and leaves it open on close', async () => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    try {
      const records = await open({ url: undefined, pool });
      const { key } = await records.keys.create(alice);

      await records.close();
      await records.close();

      expect(records.pool).toBe(pool);
      expect(pool.ended).toBe(false);
      expect((await (await open()).keys.authenticate(key))?.userId).toBe('alice');
    } finally {
      await pool.end();
    }
  });

  it('ends its own pool on close, once', async () => {
    const records = await open();

    await Promise.all([records.close(), records.close()]);

    expect(records.pool.ended).toBe(true);
    await expect(records.keys.list()).rejects.toThrow(/^The PostgreSQL store failed: /);
  });
});
