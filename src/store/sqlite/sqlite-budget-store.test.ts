import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BudgetStore } from '../budget-types.js';
import {
  createManualClock,
  describeBudgetStoreContract,
  type ContractHarness,
} from '../contract/index.js';
import { openSqliteStore, type SqliteStore } from './open-sqlite-store.js';

const DAY_MS = 86_400_000;

/** A file-backed store under a fresh directory; every client opened shares one manual clock. */
function fileHarness(): Promise<ContractHarness<BudgetStore>> {
  const clock = createManualClock();
  const directory = mkdtempSync(join(tmpdir(), 'rampart-budgets-'));
  const path = join(directory, 'rampart.db');
  const opened: SqliteStore[] = [];
  const open = () => {
    opened.push(openSqliteStore({ path, clock: clock.now }));
    return opened.at(-1)!.budgets;
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

function memoryHarness(): Promise<ContractHarness<BudgetStore>> {
  const clock = createManualClock();
  const store = openSqliteStore({ path: ':memory:', clock: clock.now });
  return Promise.resolve({
    store: store.budgets,
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    close: () => store.close(),
  });
}

describeBudgetStoreContract('sqlite file', fileHarness, { durable: true, sharedClients: true });
describeBudgetStoreContract('sqlite :memory:', memoryHarness);

const take = (key: string, cap: number) => ({
  key,
  cap,
  base: 0,
  perUnit: 1,
  warnAt: 0.8,
  ttlMs: DAY_MS,
});

describe('SqliteBudgetStore', () => {
  let directory: string;
  let path: string;
  let clock: ReturnType<typeof createManualClock>;
  const opened: SqliteStore[] = [];
  const open = () => {
    opened.push(openSqliteStore({ path, clock: clock.now }));
    return opened.at(-1)!;
  };

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'rampart-budgets-'));
    path = join(directory, 'rampart.db');
    clock = createManualClock();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps spend, holds and the warning across closing and reopening the file', async () => {
    const first = open();
    await first.budgets.settle('spent-before', [
      { key: 'u:alice', cap: 100, amount: 85, warnAt: 0.8, ttlMs: DAY_MS },
    ]);
    const held = await first.budgets.reserve({
      id: 'held-across',
      counters: [take('u:alice', 100), take('team:r', 50)],
      units: { min: 1, max: 10 },
      leaseMs: 60_000,
    });
    expect(held).toEqual({ ok: true, units: 10, nearlySpent: ['u:alice'] });
    await first.close();

    const second = open().budgets;
    expect(await second.standing('u:alice')).toEqual({ spent: 85, reserved: 10, cap: 100 });
    expect(await second.standing('team:r')).toEqual({ spent: 0, reserved: 10, cap: 50 });
    const more = { id: 'after-reopen', units: { min: 6, max: 6 }, leaseMs: 60_000 };
    expect(await second.reserve({ ...more, counters: [take('u:alice', 100)] })).toEqual({
      ok: false,
      counter: 'u:alice',
    });
    // Already warned before the restart: crossing again says nothing.
    const charge = { key: 'u:alice', cap: 100, amount: 3, warnAt: 0.8, ttlMs: DAY_MS };
    expect(await second.settle('held-across', [charge])).toEqual({ warned: [] });
    expect(await second.standing('u:alice')).toEqual({ spent: 88, reserved: 0, cap: 100 });
  });

  it('purges expired counters and ended holds in bounded batches', async () => {
    const store = open();
    const counters = Array.from({ length: 600 }, (_, index) => `k${index}`);
    for (const key of counters) {
      await store.budgets.settle('spend-once', [
        { key, cap: 10, amount: 1, warnAt: 1, ttlMs: 1_000 },
      ]);
    }
    await store.budgets.reserve({
      id: 'short-lease',
      counters: [{ ...take('long', 100), ttlMs: DAY_MS }],
      units: { min: 1, max: 5 },
      leaseMs: 500,
    });
    clock.advance(120_000);
    const count = (table: string) => {
      const database = new Database(path, { readonly: true });
      try {
        return database.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
      } finally {
        database.close();
      }
    };
    await store.budgets.settle('trigger-one', [{ ...take('x', 10), amount: 1 }]);
    expect(count('budget_counters')).toBe(601 - 500 + 1);
    expect(count('budget_holds')).toBe(0);
    clock.advance(120_000);
    await store.budgets.settle('trigger-two', [{ ...take('y', 10), amount: 1 }]);
    // What is left: 'long', 'x' and 'y'.
    expect(count('budget_counters')).toBe(3);
  });

  it('adds the budget tables in their own migration', async () => {
    const store = open();
    await store.close();
    const database = new Database(path, { readonly: true });
    const rows = database.prepare('SELECT version, name FROM schema_migrations').all();
    database.close();
    expect(rows).toContainEqual({ version: 8, name: 'budget counters' });
  });
});
