/**
 * Hot state kept in this process: what a single instance uses for rate limits and concurrency
 * slots. The rule checks are shared with the Redis backend so both refuse the same input.
 */
export {
  MemoryRateLimitStore,
  type MemoryRateLimitStoreOptions,
} from './memory-rate-limit-store.js';
export { MemorySlotStore, type MemorySlotStoreOptions } from './memory-slot-store.js';
export { checkAdjust, checkTake, MAX_SCALED, type RateLimitBudget } from './gcra.js';
export {
  checkSlotRequest,
  isSlotName,
  requirePositive,
  DEFAULT_SLOT_MARK_RETENTION_MS,
} from './slot-rules.js';
