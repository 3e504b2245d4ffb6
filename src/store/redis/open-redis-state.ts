import { RedisAlertStore } from './redis-alert-store.js';
import { RedisBaselineStore } from './redis-baseline-store.js';
import { RedisBreakerStore } from './redis-breaker-store.js';
import { RedisBudgetStore } from './redis-budget-store.js';
import { connectRedis, type RedisClient, type RedisConnectionOptions } from './redis-connection.js';
import { RedisRateLimitStore } from './redis-rate-limit-store.js';
import { RedisSessionStore } from './redis-session-store.js';
import { RedisSlotStore } from './redis-slot-store.js';

export interface RedisStateOptions extends RedisConnectionOptions {
  /** Prepended to every key, so several deployments can share one Redis. Default `rampart:`. */
  keyPrefix?: string;
  /**
   * A session not created or committed to for this long is gone (its keys expire). Default:
   * sessions never expire.
   */
  sessionIdleTtlMs?: number;
  /** How long an idle user's last-served mark is kept in slot pools. Default 60 s. */
  slotMarkRetentionMs?: number;
  /**
   * Tests only: the scripts read this clock instead of the server's TIME. Keys still expire by
   * the server's clock.
   */
  clock?: () => number;
}

/** The shared hot state of many instances, in one Redis (or Redis Cluster). */
export interface RedisState {
  sessions: RedisSessionStore;
  rateLimits: RedisRateLimitStore;
  slots: RedisSlotStore;
  breakers: RedisBreakerStore;
  budgets: RedisBudgetStore;
  /** Alerts, their webhook outbox and the anomaly evaluator's lease. */
  alerts: RedisAlertStore;
  /** The anomaly detector's history of past days. */
  baselines: RedisBaselineStore;
  client: RedisClient;
  /** Closes the client if `openRedisState` opened it; the stores are not used afterwards. */
  close(): Promise<void>;
}

/**
 * Connects (or adopts `client`) and returns the Redis-backed stores. Rejects with
 * `RAMPART_STATE_UNAVAILABLE` when Redis is not ready within the connect timeout. Afterwards
 * every operation either answers or rejects within the command timeout; none waits for a
 * reconnection, which happens in the background with backoff.
 */
export async function openRedisState(options: RedisStateOptions = {}): Promise<RedisState> {
  const connection = await connectRedis(options);
  try {
    return { ...createStores(connection.client, options), close: connection.close };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

function createStores(client: RedisClient, options: RedisStateOptions) {
  const shared = { keyPrefix: options.keyPrefix ?? 'rampart:', clock: options.clock };
  return {
    sessions: new RedisSessionStore(client, {
      ...shared,
      sessionIdleTtlMs: options.sessionIdleTtlMs,
    }),
    rateLimits: new RedisRateLimitStore(client, shared),
    slots: new RedisSlotStore(client, { ...shared, markRetentionMs: options.slotMarkRetentionMs }),
    breakers: new RedisBreakerStore(client, shared),
    budgets: new RedisBudgetStore(client, shared),
    alerts: new RedisAlertStore(client, shared),
    baselines: new RedisBaselineStore(client, shared),
    client,
  };
}
