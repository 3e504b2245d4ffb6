import type { Logger } from '../../core/logger.js';

/** The shared-state concerns whose failure policy is configured separately. */
export type StateConcern = 'sessions' | 'rateLimits' | 'concurrency' | 'breakers' | 'budgets';

interface ConcernHealth {
  failures: number;
  fallbacks: number;
  degradedSince: number | undefined;
  lastWarnedAt: number;
}

/** Warnings about one concern are written at most this often while it stays degraded. */
const WARN_INTERVAL_MS = 5_000;

/**
 * Counts and reports shared-state failures per concern: never silent (a warning while degraded,
 * throttled; an info line on recovery), and readable by `/readyz`.
 */
export class StateHealth {
  private readonly concerns = new Map<StateConcern, ConcernHealth>();

  constructor(private readonly logger: Logger) {}

  failed(concern: StateConcern, error: unknown, action: 'fallback' | 'refused'): void {
    const health = this.of(concern);
    health.failures++;
    if (action === 'fallback') health.fallbacks++;
    const now = Date.now();
    health.degradedSince ??= now;
    if (now - health.lastWarnedAt < WARN_INTERVAL_MS) return;
    health.lastWarnedAt = now;
    const { failures, fallbacks } = health;
    const message =
      action === 'fallback'
        ? 'shared state unavailable: using this instance only'
        : 'shared state unavailable: refusing requests';
    this.logger.warn({ err: error, concern, failures, fallbacks }, message);
  }

  succeeded(concern: StateConcern): void {
    const health = this.concerns.get(concern);
    if (health?.degradedSince === undefined) return;
    const degradedMs = Date.now() - health.degradedSince;
    health.degradedSince = undefined;
    health.lastWarnedAt = 0;
    this.logger.info({ concern, degradedMs }, 'shared state recovered');
  }

  /** Counts and the concerns degraded right now. */
  snapshot() {
    const degraded: StateConcern[] = [];
    const counts: Record<string, { failures: number; fallbacks: number }> = {};
    for (const [concern, health] of this.concerns) {
      counts[concern] = { failures: health.failures, fallbacks: health.fallbacks };
      if (health.degradedSince !== undefined) degraded.push(concern);
    }
    return { degraded, counts };
  }

  private of(concern: StateConcern): ConcernHealth {
    let health = this.concerns.get(concern);
    if (!health) {
      health = { failures: 0, fallbacks: 0, degradedSince: undefined, lastWarnedAt: 0 };
      this.concerns.set(concern, health);
    }
    return health;
  }
}
