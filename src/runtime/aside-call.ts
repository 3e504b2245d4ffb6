import { ResponseCollector, type CollectedResponse } from '../core/collect.js';
import { addUsage } from '../core/events.js';
import { estimateUsage } from '../core/token-estimate.js';
import { callWithFallback, type AttemptFact, type RouteTarget } from '../resilience/index.js';
import type { ModelCallContext } from './model-call.js';
import { enterModelCall, type ModelCallRequest } from './stage.js';
import type { ResolvedModel, Turn } from './turn.js';

export interface AsideCallOptions {
  route: ResolvedModel;
  request: ModelCallRequest;
  context: ModelCallContext;
  /** Abandons the call this long after it began; absent: only the turn's own signal ends it. */
  timeoutMs?: number;
}

/**
 * A model call a stage makes for itself during a turn (a summary, say): the route's retries,
 * fallbacks and breakers apply, and so does the stages' admission, but nothing reaches the
 * client and the attempts are not the turn's own (`turn.modelCalls` stays the answer's record).
 * Its usage is added to the turn with the target that served it, so it is counted and priced.
 */
export async function callAside(turn: Turn, options: AsideCallOptions): Promise<CollectedResponse> {
  const { route, request, context } = options;
  const collector = new ResponseCollector();
  const traced = context.trace?.modelCall(route, request, true);
  let servedBy: RouteTarget | undefined;
  const calls = callWithFallback({
    targets: route.targets,
    request,
    policy: { ...route.policy, continueOnFailure: false },
    breakers: context.breakers,
    signal:
      options.timeoutMs === undefined
        ? turn.input.signal
        : AbortSignal.any([turn.input.signal, AbortSignal.timeout(options.timeoutMs)]),
    routeName: route.name,
    buffered: true,
    holdToolCalls: true,
    admit: () => enterModelCall(context.stages, turn),
    ...(context.capacity ? { capacity: capacityFor(context, turn) } : {}),
    onAttempt: (fact) => {
      logAttempt(turn, fact);
      traced?.attempt(fact);
    },
    onServing: (target) => (servedBy = target),
  });
  let next = await calls.next();
  while (next.done !== true) {
    collector.add(next.value);
    next = await calls.next();
  }
  const response = collector.result();
  traced?.end(response);
  servedBy = next.value.servedBy ?? servedBy;
  recordAsideUsage(turn, { request, response, target: servedBy ?? route.targets[0] });
  return response;
}

function capacityFor(context: ModelCallContext, turn: Turn) {
  const capacity = context.capacity;
  return (target: RouteTarget, wait: boolean) =>
    capacity ? capacity(target.provider.name, turn, wait) : Promise.resolve(undefined);
}

interface UsageParts {
  request: ModelCallRequest;
  response: CollectedResponse;
  target: RouteTarget | undefined;
}

/** Like the turn's own calls: reported usage, else an estimate once anything was produced. */
function recordAsideUsage(turn: Turn, parts: UsageParts): void {
  const { request, response, target } = parts;
  const produced = response.text !== '' || response.toolCalls.length > 0;
  const usage = response.usage ?? (produced ? estimateUsage(request, response) : undefined);
  if (!usage || !target) return;
  turn.usage = addUsage(turn.usage, usage);
  turn.modelUsage.push({
    target: target.id,
    provider: target.provider.name,
    model: target.model,
    usage,
  });
}

function logAttempt(turn: Turn, attempt: AttemptFact): void {
  if (attempt.outcome !== 'failed') return;
  const { target, error } = attempt;
  turn.logger.warn(
    { target, attempt: attempt.attempt, code: error?.code },
    'aside model call attempt failed',
  );
}
