import type { RateLimitResult, RateLimitStore, RateLimitTakeOptions } from '../types.js';
import {
  adjustArrival,
  checkAdjust,
  checkTake,
  decideTake,
  isSpent,
  type ArrivalTime,
  type RateLimitBudget,
} from './gcra.js';

export interface MemoryRateLimitStoreOptions {
  /** Milliseconds since the epoch. Default `Date.now`; tests pass a manual clock. */
  now?: () => number;
}

/** How often whole budgets are swept out, so keys of users who went away do not pile up. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Rate-limit budgets in this process (GCRA, see `gcra.ts`), for a single instance. A cost
 * larger than `limit` can never fit: it is refused with `retryAfterMs` equal to `windowMs`.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly arrivals = new Map<string, ArrivalTime>();
  private readonly now: () => number;
  private sweptAt: number;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sweptAt = this.now();
  }

  async take(key: string, options: RateLimitTakeOptions): Promise<RateLimitResult> {
    checkTake(key, options);
    const now = this.now();
    this.sweep(now);
    const decision = decideTake(this.arrivals.get(key), now, options);
    if (decision.result.allowed) this.keep(key, decision.next);
    return decision.result;
  }

  async adjust(key: string, options: RateLimitBudget & { delta: number }): Promise<void> {
    checkAdjust(key, options);
    const now = this.now();
    this.keep(key, adjustArrival(this.arrivals.get(key), now, options));
  }

  /** Keys whose budget is not whole (for tests and metrics). */
  get size(): number {
    return this.arrivals.size;
  }

  private keep(key: string, tat: ArrivalTime | undefined): void {
    if (tat === undefined) this.arrivals.delete(key);
    else this.arrivals.set(key, tat);
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < SWEEP_INTERVAL_MS) return;
    this.sweptAt = now;
    for (const [key, tat] of this.arrivals) {
      if (isSpent(tat, now)) this.arrivals.delete(key);
    }
  }
}
