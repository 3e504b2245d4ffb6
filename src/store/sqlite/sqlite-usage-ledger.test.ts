import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { describeUsageLedgerContract, type UsageLedgerHarness } from '../contract/index.js';
import { openSqliteStore, type SqliteStore } from './open-sqlite-store.js';

/** A file-backed store under a fresh directory; clients opened share the file. */
function fileHarness(): Promise<UsageLedgerHarness> {
  const directory = mkdtempSync(join(tmpdir(), 'rampart-usage-'));
  const path = join(directory, 'rampart.db');
  const opened: SqliteStore[] = [];
  const open = () => {
    opened.push(openSqliteStore({ path }));
    return opened.at(-1)!.usage;
  };
  const closeAll = () => Promise.all(opened.map((store) => store.close()));
  return Promise.resolve({
    store: open(),
    advanceTime: () => Promise.resolve(),
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

describeUsageLedgerContract('sqlite file', fileHarness, { durable: true, sharedClients: true });

describe('SqliteUsageLedger', () => {
  it('adds the usage tables in their own migration', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'rampart-usage-'));
    const path = join(directory, 'rampart.db');
    try {
      const store = openSqliteStore({ path });
      expect(store.schemaVersion()).toBeGreaterThanOrEqual(7);
      await store.close();
      const database = new Database(path, { readonly: true });
      const rows = database.prepare('SELECT version, name FROM schema_migrations').all();
      database.close();
      expect(rows).toContainEqual({ version: 7, name: 'usage ledger' });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
