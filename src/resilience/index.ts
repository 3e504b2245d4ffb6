/**
 * Keeping the assistant answering when providers fail: fallback chains with retries and
 * circuit breakers, continuation of a cut answer, degraded mode and deferred jobs.
 */
export * from './fallback/index.js';
export * from './degraded/index.js';
export * from './jobs/index.js';
