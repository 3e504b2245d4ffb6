import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRampartError } from '../../core/index.js';
import { hashApiKey } from '../api-key-format.js';
import {
  createManualClock,
  describeKeyStoreContract,
  describeSessionStoreContract,
  type ContractHarness,
  type SessionHarnessOptions,
} from '../contract/index.js';
import { openSqliteStore, type SqliteStore } from './open-sqlite-store.js';

function memoryHarness<S>(
  pick: (store: SqliteStore) => S,
  options: SessionHarnessOptions = {},
): Promise<ContractHarness<S>> {
  const clock = createManualClock();
  const store = openSqliteStore({ path: ':memory:', clock: clock.now, ...options });
  return Promise.resolve({
    store: pick(store),
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    close: () => store.close(),
  });
}

function fileHarness<S>(
  pick: (store: SqliteStore) => S,
  options: SessionHarnessOptions = {},
): Promise<ContractHarness<S>> {
  const clock = createManualClock();
  const directory = mkdtempSync(join(tmpdir(), 'rampart-store-'));
  const path = join(directory, 'data', 'rampart.db');
  const open = () => openSqliteStore({ path, clock: clock.now, ...options });
  const opened = [open()];
  return Promise.resolve({
    store: pick(opened[0]!),
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    reopen: async () => {
      await Promise.all(opened.map((store) => store.close()));
      opened.push(open());
      return pick(opened.at(-1)!);
    },
    connectAnother: () => {
      opened.push(open());
      return Promise.resolve(pick(opened.at(-1)!));
    },
    close: async () => {
      await Promise.all(opened.map((store) => store.close()));
      rmSync(directory, { recursive: true, force: true });
    },
  });
}

describeKeyStoreContract('sqlite in memory', () => memoryHarness((store) => store.keys));
describeKeyStoreContract('sqlite file', () => fileHarness((store) => store.keys), {
  durable: true,
  sharedClients: true,
});
describeSessionStoreContract('sqlite in memory', (options) =>
  memoryHarness((store) => store.sessions, options),
);
describeSessionStoreContract(
  'sqlite file',
  (options) => fileHarness((store) => store.sessions, options),
  {
    durable: true,
    sharedClients: true,
  },
);

describe('openSqliteStore', () => {
  let directory: string;
  let path: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'rampart-sqlite-'));
    path = join(directory, 'nested', 'deeper', 'rampart.db');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  function inspect<T>(query: (database: Database.Database) => T): T {
    const database = new Database(path, { readonly: true });
    try {
      return query(database);
    } finally {
      database.close();
    }
  }

  it('creates the directory, applies migrations once and records them', async () => {
    const store = openSqliteStore({ path });
    expect(store.schemaVersion()).toBe(5);
    await store.close();
    await openSqliteStore({ path }).close();

    const rows = inspect((database) =>
      database.prepare('SELECT version, name FROM schema_migrations').all(),
    );
    expect(rows).toEqual([
      { version: 1, name: 'api keys and sessions' },
      { version: 2, name: 'session idle expiry' },
      { version: 3, name: 'deferred jobs' },
      { version: 4, name: 'audit log' },
      { version: 5, name: 'usage ledger' },
    ]);
  });

  it('runs in WAL mode with foreign keys and a busy timeout', async () => {
    const store = openSqliteStore({ path });
    const database = new Database(path);
    try {
      expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      database.close();
    }
    await store.close();
  });

  it('refuses a database written by a newer schema', async () => {
    await openSqliteStore({ path }).close();
    const database = new Database(path);
    database.prepare("INSERT INTO schema_migrations VALUES (99, 'future', 'x')").run();
    database.close();

    let error: unknown;
    try {
      openSqliteStore({ path });
    } catch (caught) {
      error = caught;
    }

    expect(isRampartError(error, 'RAMPART_CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/schema is at version 99, newer than this build/);
  });

  it('names the path when the file is not a database', () => {
    const bogus = join(directory, 'not-a-db.db');
    writeFileSync(bogus, 'this is plain text, not SQLite '.repeat(100));

    expect(() => openSqliteStore({ path: bogus })).toThrow(
      `Cannot open the SQLite database at ${bogus}: file is not a database`,
    );
  });

  it('stores only the SHA-256 of a key, never the secret', async () => {
    const store = openSqliteStore({ path });
    const { key, record } = await store.keys.create({
      userId: 'alice',
      role: 'user',
      tier: 'free',
      permissions: [],
    });
    await store.close();

    const row = inspect((database) => database.prepare('SELECT * FROM api_keys').get()) as Record<
      string,
      unknown
    >;
    expect(row.id).toBe(record.id);
    expect(Buffer.from(row.hash as Buffer).equals(hashApiKey(key))).toBe(true);
    expect(JSON.stringify(Object.values(row))).not.toContain(key.slice(20));
  });

  it('deletes a session’s messages with it', async () => {
    const store = openSqliteStore({ path });
    const { id } = await store.sessions.create('alice', { assistant: 'a' });
    const lease = await store.sessions.beginTurn('alice', id, { leaseMs: 1000 });
    if (typeof lease !== 'object') throw new Error('no lease');
    await store.sessions.commitTurn('alice', id, lease.token, [{ role: 'system', content: 'x' }]);

    await store.sessions.delete('alice', id);
    await store.close();

    const count = inspect((database) =>
      database.prepare('SELECT COUNT(*) AS n FROM session_messages').get(),
    );
    expect(count).toEqual({ n: 0 });
  });

  it('writes nothing and keeps the lease when a message cannot be stored', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const { id } = await store.sessions.create('alice', { assistant: 'a' });
    const lease = await store.sessions.beginTurn('alice', id, { leaseMs: 1000 });
    if (typeof lease !== 'object') throw new Error('no lease');
    const unstorable = { role: 'system', content: 10n } as unknown as never;

    await expect(
      store.sessions.commitTurn('alice', id, lease.token, [
        { role: 'system', content: 'a' },
        unstorable,
      ]),
    ).rejects.toThrow(/BigInt/);

    expect((await store.sessions.get('alice', id))?.messages).toEqual([]);
    expect(await store.sessions.releaseTurn('alice', id, lease.token)).toBe(true);
    await store.close();
  });

  it('refuses invalid session input with a clear error', async () => {
    const store = openSqliteStore({ path: ':memory:' });

    await expect(store.sessions.create('', { assistant: 'a' })).rejects.toThrow(
      'owner must be a non-empty string.',
    );
    await expect(
      store.sessions.create('alice', {
        assistant: 'a',
        metadata: [] as unknown as Record<string, unknown>,
      }),
    ).rejects.toThrow('Session metadata must be a JSON object.');
    const { id } = await store.sessions.create('alice', { assistant: 'a' });
    await expect(store.sessions.beginTurn('alice', id, { leaseMs: 0 })).rejects.toThrow(
      'leaseMs must be a positive integer.',
    );
    await store.close();
  });

  it('purges the rows of idle sessions on later writes', async () => {
    let now = Date.UTC(2026, 0, 1);
    const store = openSqliteStore({ path, clock: () => now, sessionIdleTtlMs: 60_000 });
    const idle = await store.sessions.create('alice', { assistant: 'a' });
    const lease = await store.sessions.beginTurn('alice', idle.id, { leaseMs: 1000 });
    if (typeof lease !== 'object') throw new Error('no lease');
    await store.sessions.commitTurn('alice', idle.id, lease.token, [
      { role: 'system', content: 'x' },
    ]);

    now += 60_000;
    await store.sessions.create('alice', { assistant: 'a' });
    await store.close();

    const count = (table: string) =>
      inspect((database) => database.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get());
    expect(count('sessions')).toEqual({ n: 1 });
    expect(count('session_messages')).toEqual({ n: 0 });
  });

  it('refuses an idle limit that is not a positive integer', () => {
    expect(() => openSqliteStore({ path: ':memory:', sessionIdleTtlMs: 0 })).toThrow(
      'sessionIdleTtlMs must be a positive integer.',
    );
  });

  it('closes idempotently', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
    await expect(store.sessions.get('alice', 'sess_x')).rejects.toThrow();
  });
});
