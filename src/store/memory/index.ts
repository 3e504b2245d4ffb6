/**
 * Hot state kept in this process: what a single instance uses for rate limits, concurrency
 * slots and circuit breakers. The rule checks are shared with the Redis backend so both refuse
 * the same input.
 */
export {
  MemoryRateLimitStore,
  type MemoryRateLimitStoreOptions,
} from './memory-rate-limit-store.js';
export { MemorySlotStore, type MemorySlotStoreOptions } from './memory-slot-store.js';
export { MemoryBreakerStore, type MemoryBreakerStoreOptions } from './memory-breaker-store.js';
export { checkAdjust, checkTake, MAX_SCALED, type RateLimitBudget } from './gcra.js';
export {
  checkSlotRequest,
  isSlotName,
  requirePositive,
  DEFAULT_SLOT_MARK_RETENTION_MS,
} from './slot-rules.js';
export {
  checkBreaker,
  checkReport,
  MAX_BREAKER_MS,
  windowBuckets,
  WINDOW_BUCKETS,
} from './breaker-rules.js';
export { MemoryAnswerStore, type MemoryAnswerStoreOptions } from './memory-answer-store.js';
export { MemoryBudgetStore, type MemoryBudgetStoreOptions } from './memory-budget-store.js';
export { MemoryStatsStore, type MemoryStatsStoreOptions } from './memory-stats-store.js';
export { MemoryAlertStore, type MemoryAlertStoreOptions } from './memory-alert-store.js';
export { MemoryBaselineStore } from './memory-baseline-store.js';
