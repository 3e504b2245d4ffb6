import type { LimitsConfig, ProviderConfig } from '../config/index.js';
import type { ProviderCapacity } from '../runtime/index.js';
import type { SlotStore } from '../store/index.js';
import { trySlot, waitForSlot, type SlotRelease } from './slot-hold.js';
import type { QueueWaitObserver } from './wait-for-room.js';

export type { ProviderCapacity };

/**
 * Room for one call on a provider with `maxConcurrentCalls`, in the provider's slot pool shared
 * by every instance: with `wait`, the call waits in the pool's fair line (then 429); without,
 * it gets undefined at once when the provider is full, so the route can move on to its next
 * target. A provider with no cap always has room.
 */
const noRelease: SlotRelease = async () => undefined;

/** The slot pool of one provider's cap, shared by every instance on the same state backend. */
export function providerPool(provider: string): string {
  return `provider:${provider}`;
}

/** The capacity check of the configured providers; undefined when none has a cap. */
export function providerCapacity(options: {
  providers: Readonly<Record<string, ProviderConfig>>;
  limits: LimitsConfig;
  slots: SlotStore;
  /** Told of every wait in a provider's line, for metrics. */
  onWaited?: QueueWaitObserver;
}): ProviderCapacity | undefined {
  const { providers, limits, slots, onWaited } = options;
  const capped = Object.values(providers).some((p) => p.maxConcurrentCalls !== undefined);
  if (!capped) return undefined;
  return async (provider, turn, wait) => {
    const limit = providers[provider]?.maxConcurrentCalls;
    if (limit === undefined) return noRelease;
    const hold = {
      slots,
      pool: providerPool(provider),
      limit,
      user: turn.input.principal.userId,
      leaseMs: limits.global.slotLeaseMs,
      queue: limits.queue,
      signal: turn.input.signal,
      logger: turn.logger,
      what: `Provider ${provider}`,
      ...(onWaited ? { onWaited } : {}),
    };
    return wait ? waitForSlot(hold) : trySlot(hold);
  };
}
