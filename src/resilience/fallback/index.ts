export {
  callWithFallback,
  type AttemptFact,
  type FallbackCall,
  type FallbackOutcome,
  type FallbackPolicy,
  type RetryPolicy,
  type RouteTarget,
} from './fallback-call.js';
export { BreakerGuard, type BreakerChange } from './breaker-guard.js';
export { classifyFailure, countsAgainstTarget, type FailureClass } from './failure-class.js';
export { ContinuationTrimmer, continuationRequest } from './continuation.js';
export { backoffDelay, sleep } from './backoff.js';
