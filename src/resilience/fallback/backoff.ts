import { RampartError } from '../../core/index.js';

/**
 * The pause before retry number `retry` (1 for the first retry): exponential from `baseMs`,
 * capped at `maxMs`, with full jitter so that many clients failing together do not retry
 * together.
 */
export function backoffDelay(
  retry: number,
  options: { baseMs: number; maxMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling * random());
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): RampartError {
  const reason: unknown = signal.reason;
  if (reason instanceof RampartError) return reason;
  return new RampartError('RAMPART_CLIENT_CLOSED', 'The request was cancelled');
}
