import { RampartError, type ModelEvent } from '../../core/index.js';
import type { BreakerOutcome } from '../../store/index.js';
import { runAttempt, skippedFact } from './attempt.js';
import { backoffDelay, sleep } from './backoff.js';
import {
  cancelled,
  end,
  errorEvent,
  NOT_SERVED,
  sentAnything,
  type AttemptResult,
  type State,
} from './call-state.js';
import { classifyFailure, countsAgainstTarget } from './failure-class.js';
import type { FallbackCall, FallbackOutcome, RouteTarget } from './route-types.js';

export type {
  AttemptFact,
  FallbackCall,
  FallbackOutcome,
  FallbackPolicy,
  RetryPolicy,
  RouteTarget,
} from './route-types.js';

/** How one target's turn ended: the call is over, or the next target should be tried. */
type TargetStep = { over: FallbackOutcome } | 'next';

/**
 * Calls a route: its targets in order, each with retries, skipping targets whose breaker is
 * open or whose provider is full. Before anything reached the caller, a failure moves on
 * invisibly. After text went out, a failure continues the answer on the next target when the
 * route allows it (only the new text is passed on), and otherwise ends the call with an error:
 * a cut answer is never finished as if whole. When every other target failed, a target that was
 * skipped only for being full is waited for. Yields content events as they arrive, then one
 * `usage` for all attempts and one `finish` or `error`.
 */
export async function* callWithFallback(
  call: FallbackCall,
): AsyncGenerator<ModelEvent, FallbackOutcome> {
  const now = call.now ?? (() => performance.now());
  const state: State = {
    call,
    now,
    startedAt: now(),
    sentText: '',
    sentToolCall: false,
    usage: undefined,
    failures: [],
    errors: [],
    refusals: 0,
    cutShort: false,
    retryAfterMs: undefined,
    busy: undefined,
  };
  for (const [index, target] of call.targets.entries()) {
    const isLast = index === call.targets.length - 1;
    const step = yield* tryTarget(state, target, { isLast, first: index === 0 });
    if (step !== 'next') return step.over;
  }
  // Healthy but full beats down: wait in line for the busy target before giving up.
  if (state.busy && !sentAnything(state) && !call.signal.aborted) {
    const step = yield* tryTarget(state, state.busy, { isLast: true, first: false });
    if (step !== 'next') return step.over;
  }
  return yield* giveUp(state);
}

/** One target's attempts: retries while they can help, then the verdict for the route. */
async function* tryTarget(
  state: State,
  target: RouteTarget,
  place: { isLast: boolean; first: boolean },
): AsyncGenerator<ModelEvent, TargetStep> {
  const { call, now } = state;
  const { isLast } = place;
  // A target that cannot answer this request at all (a format it has no match for) is passed
  // over unasked; when every target is, the route's error is the refusal itself.
  const refusal = target.provider.refuses?.(call.request);
  if (refusal !== undefined) {
    state.failures.push(`${target.id}: ${refusal.message}`);
    state.errors.push(refusal);
    state.refusals += 1;
    call.onAttempt(skippedFact(target, 1, sentAnything(state), 'unsupported'));
    return 'next';
  }
  for (let attempt = 1; attempt <= call.policy.retry.maxAttempts; attempt++) {
    if (call.signal.aborted) {
      yield* end(state, errorEvent(cancelled(call.signal), !sentAnything(state)));
      return { over: NOT_SERVED };
    }
    // The deadline bounds the wait for a first answer; once text went out, continuing it is
    // the only way the client gets a whole one, so it is not cut short.
    const firstTry = place.first && attempt === 1;
    if (!firstTry && !sentAnything(state) && now() - state.startedAt >= call.policy.deadlineMs) {
      state.failures.push(`deadline of ${call.policy.deadlineMs} ms passed`);
      state.cutShort = true;
      return { over: yield* giveUp(state) };
    }
    const admission = call.breakers ? await call.breakers.admit(target.id) : undefined;
    if (admission && !admission.allowed) {
      state.failures.push(`${target.id}: circuit open`);
      state.cutShort = true;
      state.retryAfterMs = Math.min(state.retryAfterMs ?? Infinity, admission.retryAfterMs);
      call.onAttempt(skippedFact(target, attempt, sentAnything(state), 'circuit-open'));
      return 'next';
    }
    const probe = admission?.allowed === true && admission.probe;
    const token = admission?.allowed === true ? admission.probeToken : undefined;
    let release: () => Promise<void>;
    try {
      const room = await takeRoom(call, target, isLast);
      if (!room) {
        // The provider is at its cap: the next target, as P26 asks, at no upstream cost.
        if (probe) await call.breakers?.record(target.id, 'abandoned', true, token);
        state.failures.push(`${target.id}: at capacity`);
        state.cutShort = true;
        state.busy ??= target;
        call.onAttempt(skippedFact(target, attempt, sentAnything(state), 'at-capacity'));
        return 'next';
      }
      release = room;
    } catch (error) {
      // Our own limits refused: the target is not at fault, and a probe frees its turn.
      if (probe) await call.breakers?.record(target.id, 'abandoned', true, token);
      const refused = error instanceof RampartError ? error : cancelled(call.signal);
      yield* end(state, errorEvent(refused, !sentAnything(state)));
      return { over: NOT_SERVED };
    }
    let result: AttemptResult;
    try {
      result = yield* runAttempt(call, target, attempt, state, now);
    } finally {
      await release();
    }
    if (result.kind === 'finished') {
      if (call.breakers) await call.breakers.record(target.id, 'success', probe, token);
      yield* end(state, result.finish);
      return { over: { servedBy: target, exhausted: false } };
    }
    const { error } = result;
    if (call.breakers) await call.breakers.record(target.id, healthOf(error), probe, token);
    if (call.signal.aborted || !isUpstreamFailure(error)) {
      const reason = call.signal.aborted ? cancelled(call.signal) : error;
      yield* end(state, errorEvent(reason, !sentAnything(state)));
      return { over: NOT_SERVED };
    }
    state.failures.push(`${target.id}: ${error.message}`);
    state.errors.push(error);
    if (sentAnything(state)) {
      // Text already reached the client: never start over. Go on from it on the next target
      // where allowed; a tool call already sent cannot be continued.
      if (!call.policy.continueOnFailure || state.sentToolCall || isLast) {
        yield* end(state, errorEvent(error, false));
        return { over: NOT_SERVED };
      }
      return 'next';
    }
    const kind = classifyFailure(error, call.policy.fallbackOnStatus);
    // A listed status on the last target goes out as it is; a target that timed out or is
    // unavailable ends the route's loop, so the route counts as down (degraded mode, deferral).
    const lastWord = kind === 'next' && isLast && !countsAgainstTarget(error);
    if (kind === 'stop' || lastWord) {
      yield* end(state, errorEvent(error, true));
      return { over: NOT_SERVED };
    }
    if (kind === 'next' || attempt >= call.policy.retry.maxAttempts) return 'next';
    const pause = retryPause(call, error, attempt);
    if (pause === undefined || now() - state.startedAt + pause >= call.policy.deadlineMs) {
      return 'next';
    }
    try {
      await sleep(pause, call.signal);
    } catch (reason) {
      const stopped = reason instanceof RampartError ? reason : cancelled(call.signal);
      yield* end(state, errorEvent(stopped, true));
      return { over: NOT_SERVED };
    }
  }
  return 'next';
}

/**
 * Every target failed or was skipped: the route is down (or a continuation ran out of targets).
 * When every attempt failed the same way, that error goes out as it is (a 429 keeps its
 * `Retry-After`, a first-byte timeout stays a 504); otherwise one error names each failure.
 */
function* giveUp(state: State): Generator<ModelEvent, FallbackOutcome> {
  const nothingSent = !sentAnything(state);
  if (state.usage) yield { type: 'usage', usage: state.usage };
  yield errorEvent(routeError(state.call, state), nothingSent);
  // A request every target refused is no sign of a route down: no stored answer, no deferral.
  const allRefused = state.refusals === state.call.targets.length;
  return { servedBy: undefined, exhausted: nothingSent && !allRefused };
}

function routeError(call: FallbackCall, state: State): RampartError {
  const last = state.errors.at(-1);
  if (last && !state.cutShort && state.errors.every((error) => error.code === last.code)) {
    return last;
  }
  const summary = state.failures.join('; ');
  const retryAfterSeconds =
    state.retryAfterMs === undefined
      ? undefined
      : Math.max(1, Math.ceil(state.retryAfterMs / 1000));
  return new RampartError(
    'RAMPART_PROVIDERS_UNAVAILABLE',
    `No provider of '${call.routeName}' could answer (${summary}). Please try again in a moment.`,
    retryAfterSeconds === undefined ? {} : { retryAfterSeconds },
  );
}

/**
 * The provider's room (if it has a cap) and then the shared admission, as one release; undefined
 * when the provider is full and this is not the last target.
 */
async function takeRoom(
  call: FallbackCall,
  target: RouteTarget,
  isLast: boolean,
): Promise<(() => Promise<void>) | undefined> {
  const room = call.capacity ? await call.capacity(target, isLast) : undefined;
  if (call.capacity && !room) return undefined;
  try {
    const admitted = await call.admit();
    return async () => {
      await admitted();
      await room?.();
    };
  } catch (error) {
    await room?.();
    throw error;
  }
}

/** The pause before the next attempt on the same target, or undefined to move on instead. */
function retryPause(call: FallbackCall, error: RampartError, attempt: number): number | undefined {
  const { retry } = call.policy;
  const jittered = backoffDelay(
    attempt,
    { baseMs: retry.baseDelayMs, maxMs: retry.maxDelayMs },
    call.random,
  );
  if (error.retryAfterSeconds === undefined) return jittered;
  const asked = error.retryAfterSeconds * 1000;
  // Asked to wait longer than is worth it: another target is the better bet.
  if (asked > retry.maxRetryAfterMs) return undefined;
  return Math.max(asked, jittered);
}

/**
 * What a failed attempt says about its target's health: a failure of the target counts against
 * it. A request it rejected, or one the client cancelled, says nothing either way: a target can
 * validate requests while it cannot generate. As a probe, such a call frees the half-open turn.
 */
function healthOf(error: RampartError): BreakerOutcome {
  return countsAgainstTarget(error) ? 'failure' : 'abandoned';
}

/** Failures that came from the upstream (as opposed to the caller, the server or a bug). */
function isUpstreamFailure(error: RampartError): boolean {
  return error.code.startsWith('RAMPART_UPSTREAM_');
}
