import { randomUUID } from 'node:crypto';
import type { BudgetCounterTake, BudgetReserveResult, BudgetStore } from '../store/index.js';
import type { RouteTarget } from '../resilience/index.js';
import type { CapCounter } from './budget-caps.js';
import type { PriceBook } from './price-book.js';

/** Output tokens reserved for a call whose request sets none; the call is then clamped to it. */
export const DEFAULT_OUTPUT_TOKENS = 4_096;
/** Fewer output tokens than this is no useful answer: the cap counts as reached. */
export const MIN_USEFUL_OUTPUT = 16;
/**
 * More output than any model writes in one call; a larger `max_tokens` reserves this much, so
 * an absurd value is clamped like any other rather than refused by the ledger's input checks.
 */
const MAX_OUTPUT_TOKENS = 100_000_000;

/** What one call may cost on its route, in the two units budgets count. */
export interface CallWorstCase {
  promptTokens: number;
  /** The prompt at the dearest input rate of any target of the route, in nanodollars. */
  promptNanos: number;
  /** The dearest output price of any target of the route, nanodollars per token. */
  outputNanos: number;
}

/**
 * Prices the call on the dearest target of its route, so a fallback to a pricier model cannot
 * spend more than was reserved. A target with no known price costs nothing here.
 */
export function worstCaseOf(
  targets: readonly RouteTarget[],
  tokens: number,
  prices: PriceBook,
): CallWorstCase {
  let promptNanos = 0;
  let outputNanos = 0;
  for (const target of targets) {
    const priced = { provider: target.provider.name, model: target.model };
    promptNanos = Math.max(promptNanos, prices.worstCase(priced, { prompt: tokens, output: 0 }));
    outputNanos = Math.max(outputNanos, prices.worstCase(priced, { prompt: 0, output: 1 }));
  }
  return { promptTokens: tokens, promptNanos, outputNanos };
}

function take(counter: CapCounter, worst: CallWorstCase): BudgetCounterTake {
  const tokens = counter.measure === 'tokens';
  return {
    key: counter.key,
    cap: counter.cap,
    base: tokens ? worst.promptTokens : worst.promptNanos,
    perUnit: tokens ? 1 : worst.outputNanos,
    warnAt: counter.config.warnAt,
    ttlMs: counter.ttlMs,
  };
}

export interface ReserveCallOptions {
  store: BudgetStore;
  counters: readonly CapCounter[];
  worst: CallWorstCase;
  /** Output tokens the client allowed; absent: `DEFAULT_OUTPUT_TOKENS`. */
  maxOutput: number | undefined;
  leaseMs: number;
}

/** A reservation the ledger granted, to settle or release later. */
export interface HeldReservation {
  id: string;
  counters: readonly CapCounter[];
}

/** A reservation's id in the ledger: 32 hex characters. */
export function newReservationId(): string {
  return randomUUID().replaceAll('-', '');
}

/** Reserves the call's worst case on every counter, with as much output as they all allow. */
export async function reserveCall(
  options: ReserveCallOptions,
): Promise<{ held: HeldReservation; result: BudgetReserveResult }> {
  const max = Math.min(options.maxOutput ?? DEFAULT_OUTPUT_TOKENS, MAX_OUTPUT_TOKENS);
  const id = newReservationId();
  const result = await options.store.reserve({
    id,
    counters: options.counters.map((counter) => take(counter, options.worst)),
    units: { min: Math.min(MIN_USEFUL_OUTPUT, max), max },
    leaseMs: options.leaseMs,
  });
  return { held: { id, counters: options.counters }, result };
}

/** How long a call waits for room that other calls' reservations hold, and how often it looks. */
export interface ReserveWait {
  maxWaitMs: number;
  pollMs: number;
  signal: AbortSignal;
}

/**
 * Whether a refusal came from reservations of calls still running rather than from spend: the
 * least useful call would fit once they settle (and settle they do, usually for less than they
 * held), so it is worth waiting for.
 */
async function heldBack(
  options: ReserveCallOptions,
  counter: CapCounter,
  minimum: number,
): Promise<boolean> {
  const standing = await options.store.standing(counter.key);
  const { base, perUnit } = take(counter, options.worst);
  return standing.reserved > 0 && standing.spent + base + minimum * perUnit <= counter.cap;
}

/**
 * `reserveCall`, but a refusal caused only by other calls' reservations waits (up to
 * `maxWaitMs`) for them to settle, as a rate-limited request waits in line, instead of telling
 * the user a budget is spent that is not.
 */
export async function reserveCallWaiting(
  options: ReserveCallOptions,
  wait: ReserveWait,
): Promise<{ held: HeldReservation; result: BudgetReserveResult }> {
  const deadline = Date.now() + wait.maxWaitMs;
  const minimum = Math.min(MIN_USEFUL_OUTPUT, options.maxOutput ?? DEFAULT_OUTPUT_TOKENS);
  for (;;) {
    const attempt = await reserveCall(options);
    const { result } = attempt;
    if (result.ok || Date.now() >= deadline || wait.signal.aborted) return attempt;
    const counter = options.counters.find((entry) => entry.key === result.counter);
    if (!counter || !(await heldBack(options, counter, minimum))) return attempt;
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs));
  }
}
