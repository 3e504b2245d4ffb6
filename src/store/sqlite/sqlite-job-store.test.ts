import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createManualClock,
  describeJobStoreContract,
  type ContractHarness,
} from '../contract/index.js';
import type { JobStore } from '../types.js';
import { openSqliteStore, type SqliteStore } from './open-sqlite-store.js';

/** A file-backed store under a fresh directory; every client opened shares one manual clock. */
function fileHarness(): Promise<ContractHarness<JobStore>> {
  const clock = createManualClock();
  const directory = mkdtempSync(join(tmpdir(), 'rampart-jobs-'));
  const path = join(directory, 'rampart.db');
  const opened: SqliteStore[] = [];
  const open = () => {
    opened.push(openSqliteStore({ path, clock: clock.now }));
    return opened.at(-1)!.jobs;
  };
  const closeAll = () => Promise.all(opened.map((store) => store.close()));
  return Promise.resolve({
    store: open(),
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    reopen: async () => {
      await closeAll();
      return open();
    },
    connectAnother: () => Promise.resolve(open()),
    close: async () => {
      await closeAll();
      rmSync(directory, { recursive: true, force: true });
    },
  });
}

function memoryHarness(): Promise<ContractHarness<JobStore>> {
  const clock = createManualClock();
  const store = openSqliteStore({ path: ':memory:', clock: clock.now });
  return Promise.resolve({
    store: store.jobs,
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    close: () => store.close(),
  });
}

describeJobStoreContract('sqlite file', fileHarness, { durable: true, sharedClients: true });
describeJobStoreContract('sqlite in memory', memoryHarness);

describe('SqliteJobStore', () => {
  let directory: string;
  let path: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'rampart-jobs-'));
    path = join(directory, 'rampart.db');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('adds the jobs table in its own migration', async () => {
    const store = openSqliteStore({ path });
    expect(store.schemaVersion()).toBe(5);
    await store.close();

    const database = new Database(path, { readonly: true });
    try {
      const rows = database.prepare('SELECT version, name FROM schema_migrations').all();
      expect(rows[2]).toEqual({ version: 3, name: 'deferred jobs' });
    } finally {
      database.close();
    }
  });

  it('lets two connections to one file each claim different jobs', async () => {
    const first = openSqliteStore({ path });
    const second = openSqliteStore({ path });
    try {
      const created = await Promise.all(
        Array.from({ length: 40 }, (_, index) =>
          (index % 2 ? first : second).jobs.create('alice', { kind: 'k', request: index }),
        ),
      );
      const claims = await Promise.all(
        Array.from({ length: 40 }, (_, index) => (index % 2 ? second : first).jobs.claim(60_000)),
      );

      const ids = claims.map((claim) => claim?.job.id);
      expect(new Set(ids).size).toBe(40);
      expect([...ids].sort()).toEqual(created.map((job) => job.id).sort());
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('refuses a store that is closed', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.close();

    await expect(store.jobs.claim(1000)).rejects.toThrow(/database connection is not open/);
  });
});
