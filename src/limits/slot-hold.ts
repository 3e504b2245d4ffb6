import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/logger.js';
import type { SlotRequest, SlotStore } from '../store/index.js';
import { waitForRoom, type Attempt, type QueueWaitObserver } from './wait-for-room.js';

/** The longest pause between two asks for a slot. */
const MAX_SLOT_POLL_MS = 100;

/** Gives a held slot back. */
export type SlotRelease = () => Promise<void>;

export interface SlotHoldOptions {
  slots: SlotStore;
  pool: string;
  /** Slots of the pool held at once, across all instances. */
  limit: number;
  /** Whose request this is: the line is fair across users. */
  user: string;
  leaseMs: number;
  queue: { maxWaitMs: number; pollMs: number };
  signal: AbortSignal;
  logger: Logger;
  /** Names what is at its limit in a 429, e.g. "The service". */
  what: string;
  /** Told of the wait when the request queued, for metrics. */
  onWaited?: QueueWaitObserver;
}

function slotRequest(options: SlotHoldOptions): SlotRequest {
  return {
    limit: options.limit,
    waiter: randomUUID(),
    user: options.user,
    leaseMs: options.leaseMs,
    waiterTtlMs: Math.max(2_000, options.queue.pollMs * 40),
  };
}

/** Keeps a granted slot alive while the call runs; a crashed instance's slots come back. */
function keep(options: SlotHoldOptions, slotId: string): SlotRelease {
  const { slots, pool, leaseMs } = options;
  const renewal = setInterval(() => {
    slots.renew(pool, slotId, leaseMs).catch((error: unknown) => {
      options.logger.warn({ err: error, pool }, 'renewing a slot failed');
    });
  }, leaseMs / 3);
  renewal.unref();
  return async () => {
    clearInterval(renewal);
    await slots.release(pool, slotId);
  };
}

/**
 * Waits in the pool's fair line for a slot, up to `queue.maxWaitMs`, then fails with 429
 * `RAMPART_RATE_LIMITED`. Each waiter asks the shared backend again and again: it backs off, so
 * a long line does not load the backend by itself, but not past a short ceiling, so a free
 * slot is taken soon.
 */
export async function waitForSlot(options: SlotHoldOptions): Promise<SlotRelease> {
  const { slots, pool, queue } = options;
  const request = slotRequest(options);
  let attempts = 0;
  const attempt = async (): Promise<Attempt<{ id: string }>> => {
    const slot = await slots.tryAcquire(pool, request);
    const pause = Math.min(queue.pollMs * 2 ** Math.min(attempts++, 8), MAX_SLOT_POLL_MS);
    return slot ? { granted: slot } : { retryAfterMs: pause };
  };
  let slot: { id: string };
  try {
    const { signal, what, onWaited } = options;
    slot = await waitForRoom(attempt, {
      ...queue,
      signal,
      what,
      ...(onWaited ? { onWaited } : {}),
    });
  } catch (error) {
    await slots.leave(pool, request.waiter).catch(() => undefined);
    throw error;
  }
  return keep(options, slot.id);
}

/** Takes a slot only if one is free right now; otherwise leaves the line and gives undefined. */
export async function trySlot(options: SlotHoldOptions): Promise<SlotRelease | undefined> {
  const request = slotRequest(options);
  const slot = await options.slots.tryAcquire(options.pool, request);
  if (slot) return keep(options, slot.id);
  await options.slots.leave(options.pool, request.waiter);
  return undefined;
}
