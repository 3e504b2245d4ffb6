import { RampartError } from '../../core/index.js';
import { requireText } from '../text-rules.js';
import type { RateLimitResult, RateLimitTakeOptions } from '../types.js';

/**
 * The generic cell rate algorithm (GCRA), kept exact. A budget of `limit` units per `windowMs`
 * emits one unit every T = windowMs / limit; the state is one theoretical arrival time (TAT).
 * A take of `cost` moves TAT to max(TAT, now) + cost * T and is allowed while TAT - now stays
 * within the window. See https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm.
 *
 * T is rarely a whole number of milliseconds, and rounding it drifts over many takes, so every
 * distance below is counted in units of 1/limit ms: T is then exactly `windowMs`, and all
 * arithmetic stays in integers below 2^53. The Redis scripts do the same sums, so both backends
 * agree to the unit.
 */

/** A stored TAT: whole milliseconds plus `part` / `denominator` of a millisecond. */
export interface ArrivalTime {
  ms: number;
  part: number;
  /** The `limit` the part was counted in; a later take with another limit rescales it. */
  denominator: number;
}

/** A budget of `limit` units per `windowMs`. */
export interface RateLimitBudget {
  limit: number;
  windowMs: number;
}

/** What a take would do: the result, and the state to store when it is allowed. */
export interface TakeDecision {
  result: RateLimitResult;
  /** The new TAT; `undefined` when the budget is whole (nothing to keep). */
  next: ArrivalTime | undefined;
}

/** Keeps every sum below (a drawdown plus one cost) exactly representable. */
export const MAX_SCALED = Math.floor(Number.MAX_SAFE_INTEGER / 4);

/** How far TAT is ahead of now, in 1/limit ms; 0 when the budget is whole. */
export function drawdown(tat: ArrivalTime | undefined, now: number, limit: number): number {
  if (tat === undefined) return 0;
  const part = Math.floor((tat.part * limit) / tat.denominator);
  return Math.min(Math.max((tat.ms - now) * limit + part, 0), MAX_SCALED);
}

/** Decides a take of `cost` units. Refused takes leave the state as it was. */
export function decideTake(
  tat: ArrivalTime | undefined,
  now: number,
  options: RateLimitTakeOptions,
): TakeDecision {
  const { limit, windowMs, cost } = options;
  const current = drawdown(tat, now, limit);
  const capacity = windowMs * limit;
  const after = current + cost * windowMs;
  if (cost > limit) {
    // It could never fit; waiting a whole window is the most honest retry hint there is.
    return refused(windowMs, current, limit, tat);
  }
  if (after > capacity) return refused(ceilDivide(after - capacity, limit), current, limit, tat);
  return {
    result: {
      allowed: true,
      remaining: Math.min(Math.floor((capacity - after) / windowMs), limit),
      retryAfterMs: 0,
      resetAfterMs: ceilDivide(after, limit),
    },
    next: arrivalAt(now, after, limit),
  };
}

/**
 * The TAT after correcting a past take by `delta` units: never before now, and a debt capped
 * where the arithmetic stays exact (far beyond any useful retry hint).
 */
export function adjustArrival(
  tat: ArrivalTime | undefined,
  now: number,
  options: RateLimitBudget & { delta: number },
): ArrivalTime | undefined {
  const moved = drawdown(tat, now, options.limit) + options.delta * options.windowMs;
  return arrivalAt(now, Math.min(Math.max(moved, 0), MAX_SCALED), options.limit);
}

/** True when the TAT is not ahead of now, so the entry can be dropped. */
export function isSpent(tat: ArrivalTime, now: number): boolean {
  return drawdown(tat, now, tat.denominator) === 0;
}

function refused(
  retryAfterMs: number,
  current: number,
  limit: number,
  tat: ArrivalTime | undefined,
): TakeDecision {
  return {
    result: {
      allowed: false,
      remaining: 0,
      retryAfterMs,
      resetAfterMs: ceilDivide(current, limit),
    },
    next: tat,
  };
}

function arrivalAt(now: number, scaled: number, limit: number): ArrivalTime | undefined {
  if (scaled <= 0) return undefined;
  const ms = Math.floor(scaled / limit);
  return { ms: now + ms, part: scaled - ms * limit, denominator: limit };
}

function ceilDivide(dividend: number, divisor: number): number {
  const quotient = Math.floor(dividend / divisor);
  return quotient * divisor < dividend ? quotient + 1 : quotient;
}

/** Refuses keys and budgets the exact arithmetic cannot serve. */
export function checkTake(key: string, options: RateLimitTakeOptions): void {
  requireText(key, 'key');
  checkBudget(options);
  requireCount(options.cost, 'cost', 0);
  if (options.cost * options.windowMs > MAX_SCALED) invalid('cost * windowMs is too large.');
}

/** Refuses keys and corrections the exact arithmetic cannot serve. */
export function checkAdjust(key: string, options: RateLimitBudget & { delta: number }): void {
  requireText(key, 'key');
  checkBudget(options);
  if (!Number.isSafeInteger(options.delta)) invalid('delta must be an integer.');
  if (Math.abs(options.delta) * options.windowMs > MAX_SCALED) {
    invalid('delta * windowMs is too large.');
  }
}

function checkBudget(options: RateLimitBudget): void {
  requireCount(options.limit, 'limit', 1);
  requireCount(options.windowMs, 'windowMs', 1);
  if (options.limit * options.windowMs > MAX_SCALED) invalid('limit * windowMs is too large.');
}

function requireCount(value: number, field: string, least: number): void {
  if (Number.isSafeInteger(value) && value >= least) return;
  invalid(`${field} must be an integer of at least ${least}.`);
}

function invalid(message: string): never {
  throw new RampartError('RAMPART_INVALID_REQUEST', message);
}
