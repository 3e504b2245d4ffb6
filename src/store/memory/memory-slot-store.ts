import type { Slot, SlotRequest, SlotStore } from '../types.js';
import { SlotPool } from './slot-pool.js';
import {
  checkSlotRequest,
  DEFAULT_SLOT_MARK_RETENTION_MS,
  isSlotName,
  requirePositive,
} from './slot-rules.js';

export interface MemorySlotStoreOptions {
  /** Milliseconds since the epoch. Default `Date.now`; tests pass a manual clock. */
  now?: () => number;
  /** How long an idle user's last-served mark is kept. Default 60 s. */
  markRetentionMs?: number;
}

/** How often every pool is tidied, so pools nobody uses any more are dropped. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Concurrency slots with a fair line, in this process, for a single instance. Pools are created
 * on first use and dropped once nothing is held, nobody waits and no marks remain.
 */
export class MemorySlotStore implements SlotStore {
  private readonly pools = new Map<string, SlotPool>();
  private readonly now: () => number;
  private readonly markRetentionMs: number;
  private sweptAt: number;

  constructor(options: MemorySlotStoreOptions = {}) {
    this.now = options.now ?? Date.now;
    this.markRetentionMs = options.markRetentionMs ?? DEFAULT_SLOT_MARK_RETENTION_MS;
    requirePositive(this.markRetentionMs, 'markRetentionMs');
    this.sweptAt = this.now();
  }

  async tryAcquire(pool: string, request: SlotRequest): Promise<Slot | undefined> {
    checkSlotRequest(pool, request);
    return this.within(pool, (state, now) => state.acquire(request, now));
  }

  async release(pool: string, slotId: string): Promise<boolean> {
    if (!isSlotNames(pool, slotId)) return false;
    return this.within(pool, (state, now) => state.release(slotId, now));
  }

  async renew(pool: string, slotId: string, leaseMs: number): Promise<boolean> {
    requirePositive(leaseMs, 'leaseMs');
    if (!isSlotNames(pool, slotId)) return false;
    return this.within(pool, (state, now) => state.renew(slotId, leaseMs, now));
  }

  async leave(pool: string, waiter: string): Promise<void> {
    if (!isSlotNames(pool, waiter)) return;
    this.within(pool, (state) => state.leave(waiter));
  }

  async inUse(pool: string): Promise<number> {
    if (!isSlotName(pool)) return 0;
    return this.within(pool, (state, now) => state.inUse(now));
  }

  /** Pools kept right now (for tests and metrics). */
  get size(): number {
    return this.pools.size;
  }

  private within<T>(pool: string, work: (state: SlotPool, now: number) => T): T {
    const now = this.now();
    this.sweep(now);
    const state = this.pools.get(pool) ?? new SlotPool(this.markRetentionMs);
    const result = work(state, now);
    if (state.isIdle()) this.pools.delete(pool);
    else this.pools.set(pool, state);
    return result;
  }

  private sweep(now: number): void {
    if (now - this.sweptAt < SWEEP_INTERVAL_MS) return;
    this.sweptAt = now;
    for (const [name, state] of this.pools) {
      state.tidy(now);
      if (state.isIdle()) this.pools.delete(name);
    }
  }
}

function isSlotNames(pool: string, id: string): boolean {
  return isSlotName(pool) && isSlotName(id);
}
