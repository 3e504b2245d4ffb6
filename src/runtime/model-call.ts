import type { ModelRequest } from '../core/conversation.js';
import { ResponseCollector, type CollectedResponse } from '../core/collect.js';
import type { Usage } from '../core/events.js';
import type { TokenCounts } from '../core/token-estimate.js';
import {
  callWithFallback,
  type RouteTarget,
  type AttemptFact,
  type BreakerGuard,
  type DegradedAnswers,
} from '../resilience/index.js';
import { CallIds } from './call-ids.js';
import { enterModelCall, type TurnStage } from './stage.js';

/** Room for one call on a provider with a cap: see `ProviderCapacity` in `limits/`. */
export type ProviderCapacity = (
  provider: string,
  turn: Turn,
  wait: boolean,
) => Promise<(() => Promise<void>) | undefined>;
import type { Turn } from './turn.js';
import type { TurnEvent } from './turn-event.js';
import type { TurnTrace } from './turn-trace.js';

/** What a model call needs besides the turn: the stages' admission and the resilience parts. */
export interface ModelCallContext {
  stages: readonly TurnStage[];
  /** Room on a provider with a cap of its own; absent: no provider has one. */
  capacity: ProviderCapacity | undefined;
  breakers: BreakerGuard | undefined;
  answers: DegradedAnswers | undefined;
  /** Counts what a provider did not report, and learns from what it did; absent: chars / 4. */
  tokens?: TokenCounts | undefined;
  /** The turn's trace; absent: tracing is off or the turn is not sampled. */
  trace?: TurnTrace | undefined;
}

/**
 * One model call over the turn's route, with retries, fallback and breakers. Content events
 * (text and tool-call deltas) go out as they arrive; `usage`, `finish` and `error` are kept back
 * for the turn to report once at its end. Each attempt is recorded in the turn. When every
 * target is down, a simple request may still be answered from a stored answer (degraded mode).
 */
export async function* callModel(
  turn: Turn,
  request: Omit<ModelRequest, 'model'>,
  context: ModelCallContext,
): AsyncGenerator<TurnEvent, CollectedResponse> {
  const route = turn.route;
  if (!route) throw new Error('callModel before the route stage resolved a model');
  const collector = new ResponseCollector();
  const traced = context.trace?.modelCall(route, request, false);
  const calls = callWithFallback({
    targets: route.targets,
    request,
    policy: route.policy,
    breakers: context.breakers,
    signal: turn.input.signal,
    routeName: route.name,
    buffered: turn.input.buffered === true,
    holdToolCalls: turn.input.serverTools !== undefined,
    admit: () => enterModelCall(context.stages, turn),
    ...(context.tokens ? { tokens: context.tokens } : {}),
    ...(context.capacity ? { capacity: providerRoom(context.capacity, turn) } : {}),
    onAttempt: (fact) => {
      recordAttempt(turn, fact);
      traced?.attempt(fact);
    },
    onServing: (target) => (turn.servedBy = target),
  });
  const ids = new CallIds([...turn.input.messages, ...turn.produced]);
  let next = await calls.next();
  while (next.done !== true) {
    const event = ids.rename(next.value);
    collector.add(event);
    if (event.type !== 'usage' && event.type !== 'finish' && event.type !== 'error') {
      turn.contentStarted = true;
      yield event;
    }
    next = await calls.next();
  }
  const outcome = next.value;
  const response = collector.result();
  traced?.end(response);
  const answerContext = { routeName: route.name, userId: turn.input.principal.userId, request };
  if (outcome.servedBy) {
    turn.servedBy = outcome.servedBy;
    // Not awaited: the answer is already out, and a slow or down store must not delay its end.
    void context.answers?.remember(answerContext, response);
    return response;
  }
  if (!outcome.exhausted) return response;
  turn.routeDown = true;
  const stored = await context.answers?.recall(answerContext);
  if (!stored) return response;
  turn.degraded = { source: 'cache', storedAt: stored.storedAt };
  turn.logger.warn({ route: route.name }, 'route down: answered from a stored answer');
  turn.contentStarted = true;
  yield { type: 'text-delta', text: stored.text };
  const free: Usage = { inputTokens: 0, outputTokens: 0 };
  return { text: stored.text, toolCalls: [], usage: free, finishReason: 'stop', error: undefined };
}

function providerRoom(capacity: ProviderCapacity, turn: Turn) {
  return (target: RouteTarget, wait: boolean) => capacity(target.provider.name, turn, wait);
}

function recordAttempt(turn: Turn, attempt: AttemptFact): void {
  const { target, error, ...fact } = attempt;
  turn.modelCalls.push({ ...fact, errorCode: error?.code });
  if (attempt.outcome === 'failed' && error) {
    // An upstream failure is expected weather, not a bug: one line with what happened, and the
    // stack (with undici's cause) only at debug level.
    const fields = { target, attempt: attempt.attempt, code: error.code, message: error.message };
    turn.logger.warn(
      { ...fields, upstreamStatus: error.upstreamStatus },
      'model call attempt failed',
    );
    turn.logger.debug({ target, err: error }, 'model call attempt failure detail');
  }
}
