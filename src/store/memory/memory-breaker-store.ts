import type {
  BreakerAdmission,
  BreakerOutcome,
  BreakerPolicy,
  BreakerState,
  BreakerStore,
} from '../types.js';
import {
  breakerState,
  checkBreaker,
  checkReport,
  decideAdmit,
  decideRecord,
  recordExpiry,
  type BreakerRecord,
  type BreakerStep,
} from './breaker-rules.js';

export interface MemoryBreakerStoreOptions {
  /** Milliseconds since the epoch. Default `Date.now`; tests pass a manual clock. */
  now?: () => number;
}

/** A breaker's record and when it stops mattering (see `recordExpiry`). */
interface Kept {
  record: BreakerRecord;
  expiresAt: number;
}

/** How often expired breakers are swept out, so ids nobody uses any more do not pile up. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Circuit breakers in this process, for a single instance (rules in `breaker-rules.ts`). Each
 * operation runs to its end without awaiting, so concurrent admits see one another: exactly
 * one of them becomes the probe.
 */
export class MemoryBreakerStore implements BreakerStore {
  private readonly breakers = new Map<string, Kept>();
  private readonly now: () => number;
  private sweptAt: number;

  constructor(options: MemoryBreakerStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sweptAt = this.now();
  }

  async admit(id: string, policy: BreakerPolicy): Promise<BreakerAdmission> {
    checkBreaker(id, policy);
    return this.step(id, policy, (record, now) => decideAdmit(record, now, policy));
  }

  async record(
    id: string,
    outcome: BreakerOutcome,
    policy: BreakerPolicy,
    probe: boolean,
    probeToken?: number,
  ): Promise<BreakerState> {
    checkBreaker(id, policy);
    checkReport(outcome, probe);
    return this.step(id, policy, (record, now) =>
      decideRecord(record, now, { outcome, probe, probeToken, policy }),
    );
  }

  async state(id: string, policy: BreakerPolicy): Promise<BreakerState> {
    checkBreaker(id, policy);
    const now = this.now();
    return breakerState(this.current(id, now), now);
  }

  /** Breakers kept right now (for tests and metrics). */
  get size(): number {
    return this.breakers.size;
  }

  /** Window buckets kept right now over all breakers (for tests): at most 10 a breaker. */
  get buckets(): number {
    let count = 0;
    for (const kept of this.breakers.values()) count += kept.record.window.length;
    return count;
  }

  private step<T>(
    id: string,
    policy: BreakerPolicy,
    decide: (record: BreakerRecord | undefined, now: number) => BreakerStep<T>,
  ): T {
    const now = this.now();
    this.sweep(now);
    const before = this.current(id, now);
    const { result, next } = decide(before, now);
    if (next === before) return result;
    if (next === undefined) this.breakers.delete(id);
    else this.breakers.set(id, { record: next, expiresAt: recordExpiry(next, policy.windowMs) });
    return result;
  }

  /** The record, unless it has expired: then the breaker is as good as new (closed, empty). */
  private current(id: string, now: number): BreakerRecord | undefined {
    const kept = this.breakers.get(id);
    if (kept === undefined || kept.expiresAt > now) return kept?.record;
    this.breakers.delete(id);
    return undefined;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < SWEEP_INTERVAL_MS) return;
    this.sweptAt = now;
    for (const [id, kept] of this.breakers) {
      if (kept.expiresAt <= now) this.breakers.delete(id);
    }
  }
}
