import {
  checkBudgetKey,
  checkCharges,
  checkRelease,
  checkReserve,
  reachesWarning,
  unitsThatFit,
} from '../budget-rules.js';
import type {
  BudgetCharge,
  BudgetReserveRequest,
  BudgetReserveResult,
  BudgetStanding,
  BudgetStore,
} from '../budget-types.js';
import { prepareBudgetStatements, type BudgetStatements } from './budget-statements.js';
import { settle, type SqliteDatabase } from './database.js';

/** At most this long between purges of expired counters and ended holds. */
const PURGE_INTERVAL_MS = 60_000;

interface CounterRow {
  spent: number;
  cap: number;
  warned: 0 | 1;
}

/**
 * The budget ledger in SQLite, so counters and live reservations outlive a restart. Every write
 * runs in one IMMEDIATE transaction: reads and writes of a reservation see no other writer, in
 * this process or another one on the same file. The rules are the in-process store's.
 */
export class SqliteBudgetStore implements BudgetStore {
  private readonly statements: BudgetStatements;
  private purgedAt = -Infinity;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly clock: () => number,
  ) {
    this.statements = prepareBudgetStatements(database);
  }

  reserve(request: BudgetReserveRequest): Promise<BudgetReserveResult> {
    return settle(() => {
      checkReserve(request);
      return this.database.transaction(() => this.take(request)).immediate();
    });
  }

  settle(id: string, charges: readonly BudgetCharge[]): Promise<{ warned: string[] }> {
    return settle(() => {
      checkCharges(id, charges);
      return this.database.transaction(() => this.charge(id, charges)).immediate();
    });
  }

  release(id: string, keys: readonly string[]): Promise<void> {
    return settle(() => {
      checkRelease(id, keys);
      const drop = () => keys.forEach((key) => this.statements.dropHold.run({ key, id }));
      this.database.transaction(drop).immediate();
    });
  }

  standing(key: string): Promise<BudgetStanding> {
    return settle(() => {
      checkBudgetKey(key);
      // One statement, so spend and holds are read from the same snapshot.
      const row = this.statements.standing.get({ key, now: this.clock() }) as
        { spent: number; cap: number; reserved: number } | undefined;
      if (!row) return { spent: 0, reserved: 0, cap: undefined };
      return { spent: row.spent, reserved: row.reserved, cap: row.cap };
    });
  }

  /** All or nothing: first how many units every counter allows, then the holds. */
  private take(request: BudgetReserveRequest): BudgetReserveResult {
    const now = this.clock();
    let units = request.units.max;
    const before = new Map<string, number>();
    for (const take of request.counters) {
      before.set(take.key, this.used(take.key, now));
      units = Math.min(units, unitsThatFit(take, before.get(take.key) ?? 0));
      if (units < request.units.min) return { ok: false, counter: take.key };
    }
    this.purge(now);
    const nearlySpent: string[] = [];
    const expires = now + request.leaseMs;
    for (const take of request.counters) {
      const amount = take.base + units * take.perUnit;
      this.open(take.key, take.cap, Math.max(now + take.ttlMs, expires), now);
      this.statements.hold.run({ key: take.key, id: request.id, amount, expires });
      if ((before.get(take.key) ?? 0) + amount >= take.warnAt * take.cap) {
        nearlySpent.push(take.key);
      }
    }
    return { ok: true, units, nearlySpent };
  }

  private charge(id: string, charges: readonly BudgetCharge[]): { warned: string[] } {
    const now = this.clock();
    this.purge(now);
    const warned: string[] = [];
    for (const charge of charges) {
      const { key, amount } = charge;
      this.open(key, charge.cap, now + charge.ttlMs, now);
      this.statements.dropHold.run({ key, id });
      const row = this.statements.spend.get({ key, amount }) as Omit<CounterRow, 'cap'>;
      if (row.warned === 0 && reachesWarning(charge, row.spent)) {
        this.statements.markWarned.run({ key });
        warned.push(key);
      }
    }
    return { warned };
  }

  /** Spent plus held by unexpired reservations; 0 for a counter that is gone. */
  private used(key: string, now: number): number {
    const counter = this.statements.counter.get({ key, now }) as CounterRow | undefined;
    if (!counter) return 0;
    return counter.spent + (this.statements.held.get({ key, now }) as number);
  }

  /** The live counter with its cap updated and kept at least until `expires`, or a new one. */
  private open(key: string, cap: number, expires: number, now: number): void {
    this.statements.dropExpired.run({ key, now });
    this.statements.open.run({ key, cap, expires });
  }

  private purge(now: number): void {
    if (now - this.purgedAt < PURGE_INTERVAL_MS) return;
    this.purgedAt = now;
    this.statements.purgeCounters.run({ now });
    this.statements.purgeHolds.run({ now });
  }
}
