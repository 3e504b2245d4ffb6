import { setTimeout as sleep } from 'node:timers/promises';
import { RampartError } from '../core/errors.js';

export interface WaitOptions {
  /** Longest total wait. */
  maxWaitMs: number;
  /** Pause between attempts when the attempt gives no better hint. */
  pollMs: number;
  signal: AbortSignal;
  /** Told how long a request waited, once it queued at all (its first try found no room). */
  onWaited?: QueueWaitObserver;
}

/** Observes queue waits, for metrics. */
export type QueueWaitObserver = (waitedMs: number, outcome: 'admitted' | 'timed-out') => void;

/** One attempt to get room: the thing obtained, or how long until trying again makes sense. */
export type Attempt<T> = { granted: T } | { retryAfterMs: number };

/** The 429 a request gets when its wait for room ran out. */
export function rateLimitedError(retryAfterMs: number, what: string): RampartError {
  const message = `${what} is at its limit: please try again in a moment.`;
  return new RampartError('RAMPART_RATE_LIMITED', message, {
    retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)),
  });
}

/**
 * Tries until an attempt is granted, the wait runs out, or the request is aborted. The wait
 * never sleeps past its deadline, and an attempt that says room comes only after the deadline
 * ends the wait at once instead of sleeping for nothing.
 */
export async function waitForRoom<T>(
  attempt: () => Promise<Attempt<T>>,
  options: WaitOptions & { what: string },
): Promise<T> {
  const started = Date.now();
  const deadline = started + options.maxWaitMs;
  let queued = false;
  for (;;) {
    const outcome = await attempt();
    if ('granted' in outcome) {
      if (queued) options.onWaited?.(Date.now() - started, 'admitted');
      return outcome.granted;
    }
    queued = true;
    const left = deadline - Date.now();
    if (left <= 0 || outcome.retryAfterMs > left) {
      options.onWaited?.(Date.now() - started, 'timed-out');
      throw rateLimitedError(Math.max(outcome.retryAfterMs, options.pollMs), options.what);
    }
    const pause = Math.min(Math.max(outcome.retryAfterMs, options.pollMs), left);
    try {
      await sleep(pause, undefined, { signal: options.signal });
    } catch {
      throw new RampartError('RAMPART_CLIENT_CLOSED', 'the request ended while waiting for room');
    }
  }
}
