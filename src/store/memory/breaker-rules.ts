import { RampartError } from '../../core/index.js';
import { isStorableText } from '../text-rules.js';
import type { BreakerAdmission, BreakerOutcome, BreakerPolicy, BreakerState } from '../types.js';

/**
 * The decisions of a circuit breaker, as pure functions over one breaker's record, so the
 * in-process store and the Redis scripts (`redis/breaker-lua.ts`) can be held to the same rules.
 *
 * The window is a ring of time buckets: an outcome lands in bucket floor(now / bucketMs), and
 * the window holds the last `buckets` of them, the current one included. Memory stays bounded
 * whatever the traffic, at the price of a coarse edge: an outcome counts for at most `windowMs`,
 * and for at least nine tenths of it when `windowMs` is a multiple of 10 ms.
 */

/** Buckets per window: the trade between memory per breaker and how sharp the window's edge is. */
export const WINDOW_BUCKETS = 10;

/**
 * The largest duration a policy may name: the longest delay Node's timers accept, so a caller
 * can always wait out a `retryAfterMs`.
 */
export const MAX_BREAKER_MS = 2_147_483_647;

/** Outcomes counted in one time bucket. */
export interface BreakerBucket {
  /** floor(time / bucketMs). */
  slot: number;
  total: number;
  failures: number;
}

/** What is kept of one breaker; a breaker with no record is closed with an empty window. */
export interface BreakerRecord {
  /** The bucket width the window was counted in; another width starts the window afresh. */
  bucketMs: number;
  /** Oldest first; only buckets still in the window. */
  window: readonly BreakerBucket[];
  /** Set while open or half-open: until then every call is refused. */
  openUntil?: number;
  /** Set while a probe holds the half-open turn: until then no other probe is let through. */
  probeUntil?: number;
}

/** A decision and the record to keep after it (`undefined`: nothing worth keeping). */
export interface BreakerStep<T> {
  result: T;
  next: BreakerRecord | undefined;
}

/** The bucket width and count for a window. */
export function windowBuckets(windowMs: number): { bucketMs: number; buckets: number } {
  const bucketMs = Math.ceil(windowMs / WINDOW_BUCKETS);
  return { bucketMs, buckets: Math.floor(windowMs / bucketMs) };
}

export function breakerState(record: BreakerRecord | undefined, now: number): BreakerState {
  if (record?.openUntil === undefined) return 'closed';
  return now < record.openUntil ? 'open' : 'half-open';
}

/** Admits every call while closed, none while open, and one probe at a time while half-open. */
export function decideAdmit(
  record: BreakerRecord | undefined,
  now: number,
  policy: BreakerPolicy,
): BreakerStep<BreakerAdmission> {
  const state = breakerState(record, now);
  if (record === undefined || state === 'closed') {
    return { result: { allowed: true, state: 'closed', probe: false }, next: record };
  }
  if (state === 'open') {
    return { result: refusal('open', record.openUntil! - now), next: record };
  }
  if (record.probeUntil !== undefined && now < record.probeUntil) {
    return { result: refusal('half-open', record.probeUntil - now), next: record };
  }
  // The probe's lease end is its token: no other probe of this breaker gets the same one.
  const probeUntil = now + policy.probeLeaseMs;
  return {
    result: { allowed: true, state: 'half-open', probe: true, probeToken: probeUntil },
    next: { ...record, probeUntil },
  };
}

/**
 * Applies one reported outcome. Closed: it is counted, and the breaker opens once the window
 * reaches the threshold. Half-open: only a probe's report counts; success closes with an empty
 * window, failure opens again. Open: every report is ignored (a stale probe included). A probe's
 * report that arrives once the breaker is closed again is counted like any other call's.
 */
export function decideRecord(
  record: BreakerRecord | undefined,
  now: number,
  report: { outcome: BreakerOutcome; probe: boolean; probeToken?: number; policy: BreakerPolicy },
): BreakerStep<BreakerState> {
  const { outcome, probe, policy } = report;
  const state = breakerState(record, now);
  if (outcome === 'abandoned') {
    // Only the probe that holds the turn may give it up: a stale probe's report changes nothing.
    const holder = record?.probeUntil !== undefined && record.probeUntil === report.probeToken;
    const freed = state === 'half-open' && probe && holder ? { ...record } : record;
    if (freed !== record && freed) delete freed.probeUntil;
    return { result: state, next: freed };
  }
  if (state === 'open' || (state === 'half-open' && !probe)) return { result: state, next: record };
  if (state === 'half-open') {
    if (outcome === 'success') return { result: 'closed', next: undefined };
    return { result: 'open', next: opened(now, policy) };
  }

  const window = count(record, now, policy.windowMs, outcome);
  if (tripped(window, policy)) return { result: 'open', next: opened(now, policy) };
  return { result: 'closed', next: { bucketMs: windowBuckets(policy.windowMs).bucketMs, window } };
}

/** The share of failures at or above which the breaker opens, once enough outcomes are in. */
export function tripped(window: readonly BreakerBucket[], policy: BreakerPolicy): boolean {
  let total = 0;
  let failures = 0;
  for (const bucket of window) {
    total += bucket.total;
    failures += bucket.failures;
  }
  return total >= policy.minRequests && failures / total >= policy.failureRate;
}

/** The buckets of the record still in the window at `now`, oldest first. */
export function liveWindow(
  record: BreakerRecord | undefined,
  now: number,
  windowMs: number,
): BreakerBucket[] {
  const { bucketMs, buckets } = windowBuckets(windowMs);
  if (record === undefined || record.bucketMs !== bucketMs) return [];
  const oldest = Math.floor(now / bucketMs) - buckets + 1;
  return record.window.filter((bucket) => bucket.slot >= oldest);
}

/**
 * When the record stops mattering, so it can be dropped: a closed one once its newest bucket
 * leaves the window; an open one a whole window after it could last change by itself, since by
 * then a breaker nobody asked about holds no evidence a fresh one would not gather again.
 */
export function recordExpiry(record: BreakerRecord, windowMs: number): number {
  if (record.openUntil === undefined) {
    const newest = record.window.at(-1)?.slot ?? 0;
    return (newest + windowBuckets(windowMs).buckets) * record.bucketMs;
  }
  return Math.max(record.openUntil, record.probeUntil ?? 0) + windowMs;
}

function count(
  record: BreakerRecord | undefined,
  now: number,
  windowMs: number,
  outcome: BreakerOutcome,
): BreakerBucket[] {
  const window = liveWindow(record, now, windowMs);
  const slot = Math.floor(now / windowBuckets(windowMs).bucketMs);
  const failure = outcome === 'failure' ? 1 : 0;
  const last = window.at(-1);
  if (last?.slot === slot) {
    window[window.length - 1] = { slot, total: last.total + 1, failures: last.failures + failure };
  } else {
    window.push({ slot, total: 1, failures: failure });
  }
  return window;
}

function opened(now: number, policy: BreakerPolicy): BreakerRecord {
  const { bucketMs } = windowBuckets(policy.windowMs);
  return { bucketMs, window: [], openUntil: now + policy.openMs };
}

function refusal(state: 'open' | 'half-open', retryAfterMs: number): BreakerAdmission {
  return { allowed: false, state, retryAfterMs };
}

/**
 * Refuses an id or policy no backend can serve as asked. Both come from configuration and the
 * runtime, never from a client, so a bad one is a defect: `RAMPART_INTERNAL`, naming the field.
 */
export function checkBreaker(id: string, policy: BreakerPolicy): void {
  if (typeof id !== 'string' || id === '' || !isStorableText(id)) {
    invalid('breaker id must be a non-empty, well-formed string.');
  }
  if (typeof policy !== 'object' || policy === null) invalid('breaker policy must be an object.');
  requireDuration(policy.windowMs, 'windowMs');
  requireDuration(policy.openMs, 'openMs');
  requireDuration(policy.probeLeaseMs, 'probeLeaseMs');
  if (!Number.isSafeInteger(policy.minRequests) || policy.minRequests < 1) {
    invalid('breaker policy minRequests must be an integer of at least 1.');
  }
  const rate = policy.failureRate;
  if (typeof rate !== 'number' || !(rate > 0 && rate <= 1)) {
    invalid('breaker policy failureRate must be a number in (0, 1].');
  }
}

/** Refuses a report that is not one of the three outcomes with a boolean probe flag. */
export function checkReport(outcome: BreakerOutcome, probe: boolean): void {
  if (outcome !== 'success' && outcome !== 'failure' && outcome !== 'abandoned') {
    invalid(`breaker outcome must be 'success', 'failure' or 'abandoned'.`);
  }
  if (typeof probe !== 'boolean') invalid('breaker probe flag must be a boolean.');
}

function requireDuration(value: number, field: string): void {
  if (Number.isSafeInteger(value) && value >= 1 && value <= MAX_BREAKER_MS) return;
  invalid(`breaker policy ${field} must be an integer from 1 to ${MAX_BREAKER_MS} ms.`);
}

function invalid(message: string): never {
  throw new RampartError('RAMPART_INTERNAL', message);
}
