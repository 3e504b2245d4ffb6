import { RampartError } from '../../core/errors.js';
import type { StateConcern, StateHealth } from './state-health.js';

/**
 * A failure of the backend itself, as opposed to a refusal of bad input: anything that is not a
 * RampartError for a client mistake (a 4xx).
 */
export function isBackendFailure(error: unknown): boolean {
  return !(error instanceof RampartError && error.status < 500);
}

export function unavailable(concern: StateConcern, cause: unknown): RampartError {
  const message = `Shared state (${concern}) is unavailable right now; please try again in a moment.`;
  return new RampartError('RAMPART_STATE_UNAVAILABLE', message, { cause, retryAfterSeconds: 1 });
}

/**
 * Wraps every method of a store so a backend failure becomes `RAMPART_STATE_UNAVAILABLE` (503)
 * and is counted: the fail-closed policy. Client errors pass through unchanged.
 */
export function failClosed<T extends object>(
  store: T,
  concern: StateConcern,
  health: StateHealth,
): T {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
          health.succeeded(concern);
          return result;
        } catch (error) {
          if (!isBackendFailure(error)) throw error;
          health.failed(concern, error, 'refused');
          throw unavailable(concern, error);
        }
      };
    },
  });
}
