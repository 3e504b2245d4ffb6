import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createManualClock,
  describeAlertStoreContract,
  describeBaselineStoreContract,
  type ContractHarness,
} from '../contract/index.js';
import { openSqliteStore, type SqliteStore } from './open-sqlite-store.js';

function memoryHarness<S>(pick: (store: SqliteStore) => S): Promise<ContractHarness<S>> {
  const clock = createManualClock();
  const store = openSqliteStore({ path: ':memory:', clock: clock.now });
  return Promise.resolve({
    store: pick(store),
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    close: () => store.close(),
  });
}

/** A database file: reopened over the same data, or opened twice as two processes would. */
function fileHarness<S>(pick: (store: SqliteStore) => S): Promise<ContractHarness<S>> {
  const clock = createManualClock();
  const directory = mkdtempSync(join(tmpdir(), 'rampart-alerts-'));
  const open = () => openSqliteStore({ path: join(directory, 'rampart.db'), clock: clock.now });
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

describeAlertStoreContract('sqlite in memory', () => memoryHarness((store) => store.alerts));
describeAlertStoreContract('sqlite file', () => fileHarness((store) => store.alerts), {
  durable: true,
  sharedClients: true,
});
describeBaselineStoreContract('sqlite in memory', () => memoryHarness((store) => store.baselines));
describeBaselineStoreContract('sqlite file', () => fileHarness((store) => store.baselines), {
  durable: true,
});
