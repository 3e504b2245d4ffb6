/** Failure policies for shared state: fail closed with a 503, or fall back to this instance. */
export { StateHealth, type StateConcern } from './state-health.js';
export { failClosed, isBackendFailure, unavailable } from './guarded.js';
export {
  FallbackBreakerStore,
  FallbackRateLimitStore,
  FallbackSlotStore,
} from './fallback-stores.js';
