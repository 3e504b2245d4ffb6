/**
 * The budget ledger: counters of spend against caps, each counter one (budget, scope, window).
 * Amounts are integers in the counter's own unit (tokens, or nanodollars); the store does not
 * care which.
 */

/** One counter a reservation draws on, with what it takes from it. */
export interface BudgetCounterTake {
  /** Names the counter: budget, scope key and window. */
  key: string;
  /** The counter's cap, in its unit. */
  cap: number;
  /** What the reservation takes whatever the output: the prompt's part. */
  base: number;
  /** What it takes per output unit reserved (1 for tokens, the output price for money). */
  perUnit: number;
  /** Fraction of the cap at which the counter warns, once per window (0 < warnAt <= 1). */
  warnAt: number;
  /** How long the counter is kept from now: until its window ends, plus a grace. */
  ttlMs: number;
}

/** A reservation on several counters, all or nothing. */
export interface BudgetReserveRequest {
  /** A fresh id for the reservation, unique among this ledger's live ones. */
  id: string;
  counters: readonly BudgetCounterTake[];
  /**
   * Output units wanted: the reservation takes as many as every counter still allows, up to
   * `max`, and fails when fewer than `min` fit.
   */
  units: { min: number; max: number };
  /** A reservation neither settled nor released is dropped after this long (a crashed caller). */
  leaseMs: number;
}

export type BudgetReserveResult =
  /**
   * `nearlySpent`: keys of counters at or past their warn line once this reservation is counted
   * (so the response that may cross the line already says so).
   */
  | { ok: true; units: number; nearlySpent: string[] }
  /** `counter`: the key of the first counter that could not hold `min` units. */
  | { ok: false; counter: string };

/** Spend to record on one counter when a reservation settles. */
export interface BudgetCharge {
  key: string;
  /** What was actually spent; may exceed what was reserved. */
  amount: number;
  cap: number;
  warnAt: number;
  ttlMs: number;
}

/** Where one counter stands. */
export interface BudgetStanding {
  spent: number;
  /** Held by live reservations. */
  reserved: number;
  /** The cap last written with the counter; undefined for a counter never used. */
  cap: number | undefined;
}

export interface BudgetStore {
  reserve(request: BudgetReserveRequest): Promise<BudgetReserveResult>;
  /**
   * Turns a reservation into spend: each charge is added to its counter and the reservation's
   * hold is dropped (if its lease has not already ended). Spend is recorded even for a
   * reservation the store no longer knows. Returns the keys of counters that crossed their
   * warn fraction with this spend, the first time in their window.
   */
  settle(id: string, charges: readonly BudgetCharge[]): Promise<{ warned: string[] }>;
  /** Drops a reservation's hold on these counters without spending anything. */
  release(id: string, keys: readonly string[]): Promise<void>;
  standing(key: string): Promise<BudgetStanding>;
}
