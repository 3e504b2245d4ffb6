import type { RampartError } from '../../core/index.js';

/**
 * What a failed attempt that sent nothing to the client allows next:
 * - `retry`: the same target may answer if asked again (a network error, 408, 429, 5xx, a cut
 *   or malformed stream); once its attempts are spent, the next target is tried;
 * - `next`: this target will likely fail again, but another may not: a status the route lists
 *   in `fallbackOnStatus` (such as 401 for one provider's bad key), or a timeout (a target that
 *   hung once tends to hang again, and each try costs a whole timeout);
 * - `stop`: no target can help (the request itself is wrong, or the client or server is going
 *   away), so the error goes to the client as it is.
 */
export type FailureClass = 'retry' | 'next' | 'stop';

const RETRYABLE_CODES = new Set<RampartError['code']>([
  'RAMPART_UPSTREAM_ERROR',
  'RAMPART_UPSTREAM_BAD_RESPONSE',
  'RAMPART_UPSTREAM_STREAM_TRUNCATED',
  'RAMPART_UPSTREAM_RATE_LIMITED',
  'RAMPART_UPSTREAM_UNAVAILABLE',
  'RAMPART_UPSTREAM_TIMEOUT',
]);

export function classifyFailure(
  error: RampartError,
  fallbackOnStatus: ReadonlySet<number>,
): FailureClass {
  // A status the route lists moves on at once, even one that could be retried (429).
  const status = error.upstreamStatus;
  if (status !== undefined && fallbackOnStatus.has(status)) return 'next';
  if (error.code === 'RAMPART_UPSTREAM_TIMEOUT') return 'next';
  return RETRYABLE_CODES.has(error.code) ? 'retry' : 'stop';
}

/**
 * Whether a failure says the target is unhealthy, and so counts against its circuit breaker.
 * A rejected request (the caller's fault) or a cancelled one says nothing about the target.
 */
export function countsAgainstTarget(error: RampartError): boolean {
  return RETRYABLE_CODES.has(error.code);
}
