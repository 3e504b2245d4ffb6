/**
 * Shared hot state in Redis for many instances behind a load balancer: rate limits, fair
 * concurrency slots, circuit breakers and sessions. Every atomic operation is one Lua script,
 * over keys that share a hash tag so the same code runs on Redis Cluster.
 */
export { openRedisState, type RedisState, type RedisStateOptions } from './open-redis-state.js';
export { RedisRateLimitStore, type RedisStoreOptions } from './redis-rate-limit-store.js';
export { RedisSlotStore, type RedisSlotStoreOptions } from './redis-slot-store.js';
export { RedisBreakerStore } from './redis-breaker-store.js';
export { RedisBudgetStore } from './redis-budget-store.js';
export { RedisSessionStore, type RedisSessionStoreOptions } from './redis-session-store.js';
export {
  connectRedis,
  type RedisClient,
  type RedisConnection,
  type RedisConnectionOptions,
} from './redis-connection.js';
export { RedisAnswerStore } from './redis-answer-store.js';
export { RedisStatsStore, type RedisStatsStoreOptions } from './redis-stats-store.js';
export { RedisAlertStore } from './redis-alert-store.js';
export { RedisBaselineStore } from './redis-baseline-store.js';
