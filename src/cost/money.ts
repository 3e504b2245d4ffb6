/**
 * Money inside Rampart is an integer count of nanodollars (1e-9 USD). Budgets are counted
 * atomically in Redis and summed in SQL, and both are exact on integers, not on fractions of a
 * cent; a nanodollar is fine enough for the cheapest token price listed (a few cents per
 * million) and leaves room for nine million dollars before doubles lose whole units.
 */
export type Nanodollars = number;

export const NANOS_PER_DOLLAR = 1_000_000_000;

/** Dollars (as configured or shown) to nanodollars, rounded to the nearest whole one. */
export function toNanos(dollars: number): Nanodollars {
  return Math.round(dollars * NANOS_PER_DOLLAR);
}

/** Nanodollars to dollars, for responses and logs. */
export function toDollars(nanos: Nanodollars): number {
  return nanos / NANOS_PER_DOLLAR;
}
