import { RampartError, type ModelEvent, type Usage } from '../../core/index.js';
import type { FallbackCall, FallbackOutcome, RouteTarget } from './route-types.js';

/** What a call over a route has done so far, shared by its targets' attempts. */
export interface State {
  call: FallbackCall;
  now: () => number;
  startedAt: number;
  sentText: string;
  sentToolCall: boolean;
  usage: Usage | undefined;
  failures: string[];
  /** The upstream errors of failed attempts, and the refusals of targets passed over, in order. */
  errors: RampartError[];
  /** How many targets refused the request before any call (see `Provider.refuses`). */
  refusals: number;
  /** True once a target was skipped (breaker, cap) or the deadline cut the call short. */
  cutShort: boolean;
  retryAfterMs: number | undefined;
  /** The first target skipped only because its provider was full: healthy, just busy. */
  busy: RouteTarget | undefined;
}

export type AttemptResult =
  | { kind: 'finished'; finish: Extract<ModelEvent, { type: 'finish' }> }
  | { kind: 'failed'; error: RampartError };

/** True once text or a tool call has gone to the caller: from then on, nothing starts over. */
export const sentAnything = (state: State) => state.sentText !== '' || state.sentToolCall;

/** The call's last events: one `usage` for all attempts, then the finish or the error. */
export function* end(state: State, last: ModelEvent): Generator<ModelEvent> {
  if (state.usage) yield { type: 'usage', usage: state.usage };
  yield last;
}

export const NOT_SERVED: FallbackOutcome = { servedBy: undefined, exhausted: false };

export function errorEvent(error: RampartError, beforeContent: boolean): ModelEvent {
  return { type: 'error', error, beforeContent };
}

/** Why an aborted call stopped: the signal's own reason (a shutdown says so), else the client. */
export function cancelled(signal: AbortSignal): RampartError {
  const reason: unknown = signal.reason;
  if (reason instanceof RampartError) return reason;
  return new RampartError('RAMPART_CLIENT_CLOSED', 'The request was cancelled');
}
