import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  CONTRACT_STATS_RETENTION_MS,
  createManualClock,
  describeStatsStoreContract,
  statsWrite,
  type StatsHarnessFactory,
} from '../contract/index.js';
import { openSqliteStore, type SqliteStore } from './open-sqlite-store.js';

const MINUTE = 60_000;

/** A file-backed store; every connection opened shares the file and one manual clock. */
const fileHarness: StatsHarnessFactory = () => {
  const clock = createManualClock();
  const directory = mkdtempSync(join(tmpdir(), 'rampart-stats-'));
  const path = join(directory, 'rampart.db');
  const opened: SqliteStore[] = [];
  const open = () => {
    const store = openSqliteStore({
      path,
      clock: clock.now,
      statsRetentionMs: CONTRACT_STATS_RETENTION_MS,
    });
    opened.push(store);
    return store.stats;
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
};

describeStatsStoreContract('sqlite file', fileHarness, { durable: true, sharedClients: true });

describe('SqliteStatsStore', () => {
  it('deletes rollups past retention from the file, an hour of them per write', async () => {
    const clock = createManualClock();
    const directory = mkdtempSync(join(tmpdir(), 'rampart-stats-'));
    const path = join(directory, 'rampart.db');
    const store = openSqliteStore({ path, clock: clock.now, statsRetentionMs: 2 * 3_600_000 });
    const start = clock.now();
    try {
      for (let minute = 0; minute < 90; minute += 1) {
        await store.stats.add(statsWrite(start + minute * MINUTE, { counters: { n: 1 } }));
      }
      const rows = () => {
        const database = new Database(path, { readonly: true });
        try {
          return database.prepare('SELECT COUNT(*) FROM stats_counters').pluck().get();
        } finally {
          database.close();
        }
      };
      // 90 minutes, and the two hours they fall in.
      expect(rows()).toBe(92);

      // All has expired: the next write purges the oldest hour of minutes and the oldest hour,
      // and adds its own minute and hour; the write after it purges the rest.
      clock.advance(4 * 3_600_000);
      await store.stats.add(statsWrite(clock.now(), { counters: { n: 1 } }));
      expect(rows()).toBe(30 + 1 + 2);
      clock.advance(MINUTE);
      await store.stats.add(statsWrite(clock.now(), { counters: { n: 1 } }));
      expect(rows()).toBe(2 + 1);
    } finally {
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('records the stats migration', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    expect(store.schemaVersion()).toBeGreaterThanOrEqual(9);
    await store.close();
  });
});
