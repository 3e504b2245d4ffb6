import {
  addUsage,
  estimateUsage,
  RampartError,
  ResponseCollector,
  type ModelEvent,
  type ModelRequest,
  type Usage,
} from '../../core/index.js';
import type { Provider } from '../../providers/index.js';
import type { BreakerOutcome } from '../../store/types.js';
import { backoffDelay, sleep } from './backoff.js';
import type { BreakerGuard } from './breaker-guard.js';
import { ContinuationTrimmer, continuationRequest } from './continuation.js';
import { classifyFailure, countsAgainstTarget } from './failure-class.js';

/** One provider model a route can call. */
export interface RouteTarget {
  provider: Provider;
  /** The provider's own model id. */
  model: string;
  /** `provider/model`: names the target in logs, metrics and its circuit breaker. */
  id: string;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

/** How a route survives failures: see `resilience` and `models` in the configuration. */
export interface FallbackPolicy {
  retry: RetryPolicy;
  deadlineMs: number;
  continueOnFailure: boolean;
  fallbackOnStatus: ReadonlySet<number>;
}

/** One attempt against one target, as recorded for logs, metrics and tests. */
export interface AttemptFact {
  target: string;
  provider: string;
  model: string;
  /** 1 for the first attempt on this target. */
  attempt: number;
  /** `skipped`: no upstream call was made, for `skipReason`. */
  outcome: 'ok' | 'failed' | 'skipped';
  /** Why a target was skipped: its breaker was open, or its provider was at its cap. */
  skipReason?: 'circuit-open' | 'at-capacity';
  /** True when this attempt continued an answer another attempt had started. */
  continuation: boolean;
  durationMs: number;
  timeToFirstEventMs: number | undefined;
  usage: Usage | undefined;
  error: RampartError | undefined;
}

export interface FallbackCall {
  targets: readonly RouteTarget[];
  /** The request without a model id: each target sets its own. */
  request: Omit<ModelRequest, 'model'>;
  policy: FallbackPolicy;
  breakers: BreakerGuard | undefined;
  signal: AbortSignal;
  /** Admission to shared caps around each attempt; throwing refuses the attempt for good. */
  admit: () => Promise<() => Promise<void>>;
  /**
   * Room on a target's provider, when it has a cap: without `wait`, undefined when it is full,
   * and the target is skipped; the last target waits (and may throw a 429 refusal).
   */
  capacity?: (target: RouteTarget, wait: boolean) => Promise<(() => Promise<void>) | undefined>;
  onAttempt: (fact: AttemptFact) => void;
  /** Called when a target's first content arrives: from then on it is answering. */
  onServing?: (target: RouteTarget) => void;
  /** The name clients asked for, for messages. */
  routeName: string;
  /**
   * The caller shows nothing until the call ends (a non-streaming client). Each attempt's
   * content is then held until the attempt finishes, so one that fails midway is dropped and
   * retried from the start, like a failure before any content.
   */
  buffered?: boolean;
  /**
   * The caller never shows the model's tool calls (server-side tools): they are held until the
   * attempt finishes, so an attempt that fails while writing them is retried invisibly.
   */
  holdToolCalls?: boolean;
  now?: () => number;
  random?: () => number;
}

/** How the call ended, beyond its events. */
export interface FallbackOutcome {
  /** The target whose answer ended the call (for a continued answer, the one that finished it). */
  servedBy: RouteTarget | undefined;
  /**
   * True when every target failed in a way another try could have fixed (or was skipped by its
   * breaker) before anything was produced: the route is down, and degraded mode may answer.
   */
  exhausted: boolean;
}

interface State {
  call: FallbackCall;
  now: () => number;
  startedAt: number;
  sentText: string;
  sentToolCall: boolean;
  usage: Usage | undefined;
  failures: string[];
  /** The upstream errors of failed attempts, in order. */
  errors: RampartError[];
  /** True once a target was skipped (breaker, cap) or the deadline cut the call short. */
  cutShort: boolean;
  retryAfterMs: number | undefined;
  /** The first target skipped only because its provider was full: healthy, just busy. */
  busy: RouteTarget | undefined;
}

type AttemptResult =
  | { kind: 'finished'; reason: Extract<ModelEvent, { type: 'finish' }>['reason'] }
  | { kind: 'failed'; error: RampartError };

/** How one target's turn ended: the call is over, or the next target should be tried. */
type TargetStep = { over: FallbackOutcome } | 'next';

const sentAnything = (state: State) => state.sentText !== '' || state.sentToolCall;

/** The call's last events: one `usage` for all attempts, then the finish or the error. */
function* end(state: State, last: ModelEvent): Generator<ModelEvent> {
  if (state.usage) yield { type: 'usage', usage: state.usage };
  yield last;
}

const NOT_SERVED: FallbackOutcome = { servedBy: undefined, exhausted: false };

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
      yield* end(state, { type: 'finish', reason: result.reason });
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
  return { servedBy: undefined, exhausted: nothingSent };
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
 * One call to one target. Content events go out as they come (through the trimmer when this
 * attempt continues an answer); usage is kept in `state`, reported or, for an attempt that
 * produced something, estimated.
 */
async function* runAttempt(
  call: FallbackCall,
  target: RouteTarget,
  attempt: number,
  state: State,
  now: () => number,
): AsyncGenerator<ModelEvent, AttemptResult> {
  const continuing = state.sentText !== '';
  const base: ModelRequest = { ...call.request, model: target.model };
  const request = continuing ? continuationRequest(base, state.sentText) : base;
  const trimmer = continuing ? new ContinuationTrimmer(state.sentText) : undefined;
  const collector = new ResponseCollector();
  // Held content of a buffered attempt, released only once the attempt has finished; held
  // tool calls of a caller that never shows them, likewise.
  const held: ModelEvent[] | undefined = call.buffered === true ? [] : undefined;
  const heldCalls: ModelEvent[] = [];
  let serving = false;
  const announce = () => {
    if (!serving) call.onServing?.(target);
    serving = true;
  };
  const startedAt = now();
  let firstEventAt: number | undefined;
  let reported: Usage | undefined;
  let result: AttemptResult = {
    kind: 'failed',
    error: new RampartError('RAMPART_UPSTREAM_BAD_RESPONSE', 'The provider ended without a finish'),
  };
  for await (const event of target.provider.stream(request, { signal: call.signal })) {
    collector.add(event);
    if (event.type === 'usage') reported = event.usage;
    else if (event.type === 'finish') result = { kind: 'finished', reason: event.reason };
    else if (event.type === 'error') result = { kind: 'failed', error: event.error };
    else if (held) {
      firstEventAt ??= now();
      held.push(event);
    } else if (call.holdToolCalls === true && event.type !== 'text-delta') {
      firstEventAt ??= now();
      heldCalls.push(event);
    } else {
      announce();
      firstEventAt ??= now();
      if (event.type === 'text-delta') {
        const text = trimmer ? trimmer.push(event.text) : event.text;
        if (text === '') continue;
        state.sentText += text;
        yield { type: 'text-delta', text };
      } else {
        const flushed = trimmer?.flush() ?? '';
        if (flushed !== '') {
          state.sentText += flushed;
          yield { type: 'text-delta', text: flushed };
        }
        state.sentToolCall = true;
        yield event;
      }
    }
  }
  const release = [...(held ?? []), ...heldCalls];
  if (release.length > 0 && result.kind === 'finished') {
    announce();
    for (const event of release) {
      if (event.type === 'text-delta') state.sentText += event.text;
      else state.sentToolCall = true;
      yield event;
    }
  }
  const rest = result.kind === 'finished' ? (trimmer?.flush() ?? '') : '';
  if (rest !== '') {
    state.sentText += rest;
    yield { type: 'text-delta', text: rest };
  }
  const collected = collector.result();
  const produced = collected.text !== '' || collected.toolCalls.length > 0;
  // The provider bills what it produced, reported or not; a call that produced nothing is free.
  const usage = reported ?? (produced ? estimateUsage(request, collected) : undefined);
  if (usage) state.usage = state.usage ? addUsage(state.usage, usage) : usage;
  call.onAttempt({
    target: target.id,
    provider: target.provider.name,
    model: target.model,
    attempt,
    outcome: result.kind === 'finished' ? 'ok' : 'failed',
    continuation: continuing,
    durationMs: now() - startedAt,
    timeToFirstEventMs: firstEventAt === undefined ? undefined : firstEventAt - startedAt,
    usage,
    error: result.kind === 'failed' ? result.error : undefined,
  });
  return result;
}

function skippedFact(
  target: RouteTarget,
  attempt: number,
  continuation: boolean,
  skipReason: AttemptFact['skipReason'],
): AttemptFact {
  return {
    target: target.id,
    provider: target.provider.name,
    model: target.model,
    attempt,
    outcome: 'skipped',
    skipReason,
    continuation,
    durationMs: 0,
    timeToFirstEventMs: undefined,
    usage: undefined,
    error: undefined,
  };
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

function errorEvent(error: RampartError, beforeContent: boolean): ModelEvent {
  return { type: 'error', error, beforeContent };
}

function cancelled(signal: AbortSignal): RampartError {
  const reason: unknown = signal.reason;
  if (reason instanceof RampartError) return reason;
  return new RampartError('RAMPART_CLIENT_CLOSED', 'The request was cancelled');
}
