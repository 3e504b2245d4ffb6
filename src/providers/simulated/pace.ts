import type { ModelEvent } from '../../core/index.js';
import { isToken } from './turn-events.js';

/**
 * Waits `ms` milliseconds, or less if `signal` aborts. Resolves true when the time passed, false
 * when aborted; either way no timer or listener is left behind.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves when `signal` aborts; never, when there is no signal. Holds no timer. */
export function waitForAbort(signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal?.addEventListener('abort', () => resolve(), { once: true }),
  );
}

/** The simulated clock of one answer. */
export interface PaceSettings {
  /** Delay before the first event. */
  firstTokenMs: number;
  /** Rate of token events after the first; 0 sends them as fast as possible. */
  tokensPerSecond: number;
  /** When set, this delay comes before every event after the first (a slow drip). */
  intervalMs?: number;
}

export interface PaceOptions extends PaceSettings {
  signal?: AbortSignal;
}

/** The delay before each event, in milliseconds, on the simulated clock. */
export function eventDelays(events: readonly ModelEvent[], settings: PaceSettings): number[] {
  const tokenGapMs = settings.tokensPerSecond > 0 ? 1000 / settings.tokensPerSecond : 0;
  return events.map((event, position) => {
    if (position === 0) return settings.firstTokenMs;
    return settings.intervalMs ?? (isToken(event) ? tokenGapMs : 0);
  });
}

/**
 * Yields `events` on the simulated clock. Stops early, without yielding more, when the signal
 * aborts; the caller decides what an abort means.
 */
export async function* paceEvents(
  events: readonly ModelEvent[],
  options: PaceOptions,
): AsyncGenerator<ModelEvent, void, undefined> {
  const delays = eventDelays(events, options);
  for (const [position, event] of events.entries()) {
    const delayMs = delays[position] ?? 0;
    if (delayMs > 0 && !(await sleep(delayMs, options.signal))) return;
    if (options.signal?.aborted) return;
    yield event;
  }
}
