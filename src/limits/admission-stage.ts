import type { LimitsConfig } from '../config/index.js';
import { countTargetOf, type TokenCounting, type TokenCounts } from '../core/index.js';
import type { LimitReading, ModelCallRelease, Turn, TurnStage } from '../runtime/index.js';
import type { RateLimitResult, RateLimitStore, SlotStore } from '../store/index.js';
import { RampartError } from '../core/errors.js';
import { limitsFor } from './limits-for.js';
import { limitHeaders } from './rate-limit-headers.js';
import { reserveTokens, usedTokens } from './token-estimate.js';
import { waitForSlot } from './slot-hold.js';
import { waitForRoom, type Attempt, type QueueWaitObserver } from './wait-for-room.js';

const WINDOW_MS = 60_000;
/** The pool of the global cap on model calls. */
export const MODEL_CALL_POOL = 'model-calls';

export interface AdmissionOptions {
  config: LimitsConfig;
  rateLimits: RateLimitStore;
  slots: SlotStore;
  /** Counts a prompt for the model it goes to; absent: characters / 4. */
  tokens?: TokenCounts;
  /** Told of every wait in a queue, for metrics. */
  onWaited?: QueueWaitObserver;
}

interface TokenReservation {
  key: string;
  limit: number;
  tokens: number;
}

function reading(limit: number, result: RateLimitResult): LimitReading {
  return { limit, remaining: result.remaining, resetAfterMs: result.resetAfterMs };
}

/**
 * Admission: per-user requests and tokens per minute when the turn starts, and the global cap on
 * model calls around each call. Over a limit, the request waits (fairly, for the global cap)
 * up to `queue.maxWaitMs` and then gets 429. Tokens are reserved from an estimate and the
 * reservation is corrected to the reported usage when the turn ends, however it ended.
 */
export function admissionStage(options: AdmissionOptions): TurnStage {
  const { config, rateLimits, slots } = options;
  const reservations = new WeakMap<Turn, TokenReservation>();
  const requestRefunds = new WeakMap<Turn, () => Promise<void>>();

  function take(key: string, limit: number, cost: number) {
    return async (): Promise<Attempt<RateLimitResult>> => {
      const result = await rateLimits.take(key, { limit, windowMs: WINDOW_MS, cost });
      return result.allowed ? { granted: result } : { retryAfterMs: result.retryAfterMs };
    };
  }

  function waitOptions(turn: Turn, what: string) {
    const { maxWaitMs, pollMs } = config.queue;
    const { onWaited } = options;
    return {
      maxWaitMs,
      pollMs,
      signal: turn.input.signal,
      what,
      ...(onWaited ? { onWaited } : {}),
    };
  }

  /**
   * Waits for room; a refusal carries the limit's headers (none left, and when room comes) and
   * those of the limits read before it, as a granted request carries them. A request refused
   * for tokens gives its request back, so the requests reading counts it as not taken.
   */
  async function waitWithHeaders(
    turn: Turn,
    limit: { kind: 'requests' | 'tokens'; value: number },
    wait: () => Promise<RateLimitResult>,
  ): Promise<RateLimitResult> {
    try {
      return await wait();
    } catch (error) {
      if (!(error instanceof RampartError) || error.code !== 'RAMPART_RATE_LIMITED') throw error;
      const requests = turn.limits.requests;
      const returned =
        limit.kind === 'tokens' && requests !== undefined && requestRefunds.has(turn)
          ? { ...requests, remaining: Math.min(requests.limit, requests.remaining + 1) }
          : requests;
      const resetAfterMs = (error.retryAfterSeconds ?? 1) * 1000;
      throw error.withHeaders({
        ...limitHeaders('requests', returned),
        ...limitHeaders(limit.kind, { limit: limit.value, remaining: 0, resetAfterMs }),
      });
    }
  }

  async function admitRequest(turn: Turn, limit: number) {
    const key = `rpm:${turn.input.principal.userId}`;
    const result = await waitWithHeaders(turn, { kind: 'requests', value: limit }, () =>
      waitForRoom(take(key, limit, 1), waitOptions(turn, 'Your request rate')),
    );
    turn.limits.requests = reading(limit, result);
    return async () => rateLimits.adjust(key, { limit, windowMs: WINDOW_MS, delta: -1 });
  }

  async function admitTokens(turn: Turn, limit: number) {
    const key = `tpm:${turn.input.principal.userId}`;
    // A request larger than the whole budget still runs once the budget is whole again.
    const tokens = Math.min(reserveTokens(turn.input, await countingFor(turn)), limit);
    const result = await waitWithHeaders(turn, { kind: 'tokens', value: limit }, () =>
      waitForRoom(take(key, limit, tokens), waitOptions(turn, 'Your token rate')),
    );
    turn.limits.tokens = reading(limit, result);
    reservations.set(turn, { key, limit, tokens });
  }

  /** How the route's first target counts tokens: the model a prompt most likely goes to. */
  async function countingFor(turn: Turn): Promise<TokenCounting | undefined> {
    const target = turn.route?.targets[0];
    if (!options.tokens || !target) return undefined;
    const counted = countTargetOf(target);
    await options.tokens.prepare(counted).catch(() => undefined);
    return options.tokens.counting(counted);
  }

  function acquireSlot(turn: Turn, limit: number): Promise<ModelCallRelease> {
    return waitForSlot({
      slots,
      pool: MODEL_CALL_POOL,
      limit,
      user: turn.input.principal.userId,
      leaseMs: config.global.slotLeaseMs,
      queue: config.queue,
      signal: turn.input.signal,
      logger: turn.logger,
      what: 'The service',
      ...(options.onWaited ? { onWaited: options.onWaited } : {}),
    });
  }

  return {
    name: 'admission',
    async prepare(turn) {
      const limits = limitsFor(config, turn.input.principal);
      const refund = limits.requestsPerMinute
        ? await admitRequest(turn, limits.requestsPerMinute)
        : undefined;
      if (refund) requestRefunds.set(turn, refund);
      if (!limits.tokensPerMinute) return;
      try {
        await admitTokens(turn, limits.tokensPerMinute);
      } catch (error) {
        // A request refused for tokens did not run: it must not use up the request budget.
        await refund?.();
        throw error;
      }
    },
    async beforeModelCall(turn) {
      const cap = config.global.maxConcurrentModelCalls;
      if (cap === undefined) return undefined;
      try {
        return await acquireSlot(turn, cap);
      } catch (error) {
        // A request that never reached the model gives its request back (its tokens come back
        // when the turn settles with no usage).
        if (turn.modelCalls.every((call) => call.outcome === 'skipped'))
          await requestRefunds.get(turn)?.();
        throw error;
      }
    },
    async settle(turn) {
      const reservation = reservations.get(turn);
      if (!reservation) return;
      const delta = usedTokens(turn.usage) - reservation.tokens;
      const { key, limit } = reservation;
      if (delta !== 0) await rateLimits.adjust(key, { limit, windowMs: WINDOW_MS, delta });
    },
  };
}
