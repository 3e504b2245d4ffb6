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

export interface MemoryBudgetStoreOptions {
  /** Milliseconds since the epoch. Default `Date.now`; tests pass a manual clock. */
  now?: () => number;
}

/** How often expired counters are swept out, so counters of past windows do not pile up. */
const SWEEP_INTERVAL_MS = 60_000;

interface Counter {
  spent: number;
  cap: number;
  warned: boolean;
  /** Reservation id → amount held and when its lease ends. */
  holds: Map<string, { amount: number; expiresAt: number }>;
  expiresAt: number;
}

/**
 * The budget ledger of a single instance. Every operation runs to its end without awaiting, so
 * reservations are atomic within the process just as one script is in Redis.
 */
export class MemoryBudgetStore implements BudgetStore {
  private readonly counters = new Map<string, Counter>();
  private readonly now: () => number;
  private sweptAt: number;

  constructor(options: MemoryBudgetStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sweptAt = this.now();
  }

  async reserve(request: BudgetReserveRequest): Promise<BudgetReserveResult> {
    checkReserve(request);
    const now = this.now();
    let units = request.units.max;
    const nearlySpent: string[] = [];
    const before = new Map<string, number>();
    for (const take of request.counters) {
      const counter = this.live(take.key, now);
      before.set(take.key, counter ? used(counter) : 0);
      const fit = unitsThatFit(take, before.get(take.key) ?? 0);
      units = Math.min(units, fit);
      if (units < request.units.min) return { ok: false, counter: take.key };
    }
    for (const take of request.counters) {
      const counter = this.open(take, now);
      const amount = take.base + units * take.perUnit;
      if ((before.get(take.key) ?? 0) + amount >= take.warnAt * take.cap) {
        nearlySpent.push(take.key);
      }
      counter.holds.set(request.id, { amount, expiresAt: now + request.leaseMs });
      counter.expiresAt = Math.max(counter.expiresAt, now + take.ttlMs, now + request.leaseMs);
    }
    return { ok: true, units, nearlySpent };
  }

  async settle(id: string, charges: readonly BudgetCharge[]): Promise<{ warned: string[] }> {
    checkCharges(id, charges);
    const now = this.now();
    const warned: string[] = [];
    for (const charge of charges) {
      const counter = this.open(charge, now);
      counter.holds.delete(id);
      counter.spent += charge.amount;
      counter.expiresAt = Math.max(counter.expiresAt, now + charge.ttlMs);
      if (!counter.warned && reachesWarning(charge, counter.spent)) {
        counter.warned = true;
        warned.push(charge.key);
      }
    }
    return { warned };
  }

  async release(id: string, keys: readonly string[]): Promise<void> {
    checkRelease(id, keys);
    const now = this.now();
    for (const key of keys) this.live(key, now)?.holds.delete(id);
  }

  async standing(key: string): Promise<BudgetStanding> {
    checkBudgetKey(key);
    const counter = this.live(key, this.now());
    if (!counter) return { spent: 0, reserved: 0, cap: undefined };
    return { spent: counter.spent, reserved: reservedOf(counter), cap: counter.cap };
  }

  /** Counters held in memory (for tests). */
  get size(): number {
    const now = this.now();
    for (const key of [...this.counters.keys()]) this.live(key, now);
    return this.counters.size;
  }

  /** The counter if it has not expired, with its ended leases dropped. */
  private live(key: string, now: number): Counter | undefined {
    const counter = this.counters.get(key);
    if (!counter) return undefined;
    if (counter.expiresAt <= now) {
      this.counters.delete(key);
      return undefined;
    }
    for (const [id, hold] of counter.holds) if (hold.expiresAt <= now) counter.holds.delete(id);
    return counter;
  }

  private open(take: { key: string; cap: number; ttlMs: number }, now: number): Counter {
    this.sweep(now);
    const existing = this.live(take.key, now);
    if (existing) {
      existing.cap = take.cap;
      return existing;
    }
    const counter: Counter = {
      spent: 0,
      cap: take.cap,
      warned: false,
      holds: new Map(),
      expiresAt: now + take.ttlMs,
    };
    this.counters.set(take.key, counter);
    return counter;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < SWEEP_INTERVAL_MS) return;
    this.sweptAt = now;
    for (const [key, counter] of this.counters)
      if (counter.expiresAt <= now) this.counters.delete(key);
  }
}

function reservedOf(counter: Counter): number {
  let total = 0;
  for (const hold of counter.holds.values()) total += hold.amount;
  return total;
}

function used(counter: Counter): number {
  return counter.spent + reservedOf(counter);
}
