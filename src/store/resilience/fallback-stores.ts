import { checkBreaker, checkReport } from '../memory/index.js';
import type {
  BreakerAdmission,
  BreakerOutcome,
  BreakerPolicy,
  BreakerState,
  BreakerStore,
  RateLimitResult,
  RateLimitStore,
  RateLimitTakeOptions,
  Slot,
  SlotRequest,
  SlotStore,
} from '../types.js';
import { isBackendFailure } from './guarded.js';
import type { StateConcern, StateHealth } from './state-health.js';

/** Runs `primary`; on a backend failure counts it and runs `fallback` instead. */
async function either<T>(
  concern: StateConcern,
  health: StateHealth,
  primary: () => Promise<T>,
  fallback: () => Promise<T>,
): Promise<T> {
  try {
    const result = await primary();
    health.succeeded(concern);
    return result;
  } catch (error) {
    if (!isBackendFailure(error)) throw error;
    health.failed(concern, error, 'fallback');
    return fallback();
  }
}

/**
 * Rate limits that fall back to this instance's own budgets while the shared backend is down:
 * the `local` policy. Limits then hold per instance, which the warning says.
 */
export class FallbackRateLimitStore implements RateLimitStore {
  constructor(
    private readonly primary: RateLimitStore,
    private readonly fallback: RateLimitStore,
    private readonly health: StateHealth,
  ) {}

  take(key: string, options: RateLimitTakeOptions): Promise<RateLimitResult> {
    return either(
      'rateLimits',
      this.health,
      () => this.primary.take(key, options),
      () => this.fallback.take(key, options),
    );
  }

  adjust(key: string, options: { limit: number; windowMs: number; delta: number }) {
    return either(
      'rateLimits',
      this.health,
      () => this.primary.adjust(key, options),
      () => this.fallback.adjust(key, options),
    );
  }
}

/**
 * Concurrency slots that fall back to this instance's own pool while the shared backend is
 * down. A slot remembers where it was granted, so it is released and renewed there.
 */
export class FallbackSlotStore implements SlotStore {
  private readonly localSlots = new Set<string>();

  constructor(
    private readonly primary: SlotStore,
    private readonly fallback: SlotStore,
    private readonly health: StateHealth,
  ) {}

  async tryAcquire(pool: string, request: SlotRequest): Promise<Slot | undefined> {
    let local = false;
    const slot = await either(
      'concurrency',
      this.health,
      () => this.primary.tryAcquire(pool, request),
      () => {
        local = true;
        return this.fallback.tryAcquire(pool, request);
      },
    );
    if (local) {
      if (slot) this.localSlots.add(slot.id);
      // An acquire queued in a stalled backend may still run later: leave its line (and any
      // slot it grants) as soon as the backend answers again, so no orphan holds a slot.
      this.primary.leave(pool, request.waiter).catch(() => undefined);
    }
    return slot;
  }

  async release(pool: string, slotId: string): Promise<boolean> {
    if (this.localSlots.delete(slotId)) return this.fallback.release(pool, slotId);
    return this.primary.release(pool, slotId).catch(() => false);
  }

  async renew(pool: string, slotId: string, leaseMs: number): Promise<boolean> {
    if (this.localSlots.has(slotId)) return this.fallback.renew(pool, slotId, leaseMs);
    return this.primary.renew(pool, slotId, leaseMs).catch(() => false);
  }

  async leave(pool: string, waiter: string): Promise<void> {
    await Promise.allSettled([this.primary.leave(pool, waiter), this.fallback.leave(pool, waiter)]);
  }

  inUse(pool: string): Promise<number> {
    return either(
      'concurrency',
      this.health,
      () => this.primary.inUse(pool),
      () => this.fallback.inUse(pool),
    );
  }
}

/**
 * Circuit breakers that fall back to this instance's own breakers while the shared backend is
 * down: each instance then opens on the failures it sees itself, and probes on its own.
 * Input is checked here first, so a defect in the caller is thrown as it is instead of being
 * counted as an outage of the backend.
 */
export class FallbackBreakerStore implements BreakerStore {
  constructor(
    private readonly primary: BreakerStore,
    private readonly fallback: BreakerStore,
    private readonly health: StateHealth,
  ) {}

  async admit(id: string, policy: BreakerPolicy): Promise<BreakerAdmission> {
    checkBreaker(id, policy);
    return either(
      'breakers',
      this.health,
      () => this.primary.admit(id, policy),
      () => this.fallback.admit(id, policy),
    );
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
    return either(
      'breakers',
      this.health,
      () => this.primary.record(id, outcome, policy, probe, probeToken),
      () => this.fallback.record(id, outcome, policy, probe, probeToken),
    );
  }

  async state(id: string, policy: BreakerPolicy): Promise<BreakerState> {
    checkBreaker(id, policy);
    return either(
      'breakers',
      this.health,
      () => this.primary.state(id, policy),
      () => this.fallback.state(id, policy),
    );
  }
}
