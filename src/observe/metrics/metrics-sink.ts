import type { SettledTurn, TelemetryEvent, TelemetrySink, TurnSettled } from '../telemetry.js';
import {
  awaitsApproval,
  fallbackCount,
  modelCallOutcome,
  timedToolCall,
  toolCallOutcome,
  toolLabel,
  turnOutcome,
  upstreamCalls,
} from '../turn-facts.js';
import { boundedMemo } from '../bounded-memo.js';
import type { MetricSet } from './metric-set.js';

const NANOS_PER_DOLLAR = 1_000_000_000;
const BREAKER_LEVEL = { closed: 0, 'half-open': 1, open: 2 } as const;
/** The label of a turn refused before it had a route (an unknown model name, say). */
const NO_ROUTE = 'none';

function routeOf(turn: SettledTurn): string {
  return turn.route?.name ?? NO_ROUTE;
}

function recordModelCalls(metrics: MetricSet, turn: SettledTurn, route: string) {
  for (const call of turn.modelCalls) {
    const { provider, model } = call;
    metrics.modelCalls.inc({ provider, model, outcome: modelCallOutcome(call) });
  }
  for (const call of upstreamCalls(turn)) {
    const { provider, model } = call;
    const outcome = modelCallOutcome(call);
    metrics.modelCallDuration.observe({ provider, model, route, outcome }, call.durationMs / 1000);
    if (call.timeToFirstEventMs !== undefined) {
      metrics.timeToFirstToken.observe({ provider, model, route }, call.timeToFirstEventMs / 1000);
    }
  }
  const fallbacks = fallbackCount(turn);
  if (fallbacks > 0) metrics.fallbacks.inc({ route }, fallbacks);
}

/** The token kinds counted, and where each is in a call's usage. */
const TOKEN_KINDS = [
  ['input', 'inputTokens'],
  ['output', 'outputTokens'],
  ['cached', 'cachedInputTokens'],
  ['cache_write', 'cacheWriteInputTokens'],
] as const;

function recordUsage(metrics: MetricSet, turn: SettledTurn) {
  // Every call with usage, the turn's answer and side calls (a pruning summary) alike.
  for (const { provider, model, usage } of turn.modelUsage) {
    for (const [kind, field] of TOKEN_KINDS) {
      const tokens = usage[field];
      if (tokens) metrics.tokens.inc({ provider, model, kind }, tokens);
    }
    if (usage.cachedInputTokens) metrics.cacheHits.inc({ kind: 'prompt_cache' });
  }
}

function recordCost(metrics: MetricSet, turn: SettledTurn) {
  const cost = turn.cost;
  if (!cost) return;
  for (const target in cost.byTarget) {
    const nanos = cost.byTarget[target] ?? 0;
    if (nanos === 0) continue;
    const { provider, model } = targetLabels(target, target);
    metrics.cost.inc({ provider, model, component: 'model' }, nanos / NANOS_PER_DOLLAR);
  }
  // Tools and memory are spent for the turn as a whole: they carry the target that answered it.
  const { provider, model } = targetLabels(turn.servedBy?.id, NO_ROUTE);
  if (cost.tools > 0) {
    metrics.cost.inc({ provider, model, component: 'tools' }, cost.tools / NANOS_PER_DOLLAR);
  }
  if (cost.memory > 0) {
    metrics.cost.inc({ provider, model, component: 'memory' }, cost.memory / NANOS_PER_DOLLAR);
  }
}

interface TargetLabels {
  provider: string;
  model: string;
}

/** `provider/model` taken apart (the model id itself may hold slashes), once per target. */
const splitTarget = boundedMemo((target): TargetLabels | undefined => {
  const slash = target.indexOf('/');
  return slash < 0
    ? undefined
    : { provider: target.slice(0, slash), model: target.slice(slash + 1) };
});

/** The provider and model of a target; `fallback` for both when it has no slash or is absent. */
function targetLabels(target: string | undefined, fallback: string): TargetLabels {
  return (
    (target === undefined ? undefined : splitTarget(target)) ?? {
      provider: fallback,
      model: fallback,
    }
  );
}

function recordGuard(metrics: MetricSet, turn: SettledTurn) {
  for (const flag of turn.guard.flagged) {
    metrics.guardVerdicts.inc({ source: flag.source, action: flag.action });
  }
  for (const [type, count] of Object.entries(turn.guard.redactions)) {
    if (count > 0) metrics.redactions.inc({ type }, count);
  }
  if (turn.guard.leak) metrics.leaks.inc({ kind: turn.guard.leak });
}

function recordTurn(metrics: MetricSet, event: TurnSettled) {
  const { turn } = event;
  const route = routeOf(turn);
  const outcome = turnOutcome(turn);
  metrics.turns.inc({ route, outcome });
  metrics.turnDuration.observe({ route, outcome }, event.durationMs / 1000);
  recordModelCalls(metrics, turn, route);
  for (const call of turn.toolCalls) {
    if (awaitsApproval(call)) continue;
    const tool = toolLabel(call);
    metrics.toolCalls.inc({ tool, outcome: toolCallOutcome(call) });
    // A call refused before its handler ran has no execution time to count.
    if (timedToolCall(call)) metrics.toolDuration.observe({ tool }, call.durationMs / 1000);
  }
  recordUsage(metrics, turn);
  recordCost(metrics, turn);
  recordGuard(metrics, turn);
  if (turn.degraded) metrics.cacheHits.inc({ kind: 'degraded_answer' });
  if (turn.errorCode === 'RAMPART_RATE_LIMITED') metrics.rateLimitRejections.inc({ route });
  const exhausted = turn.budget.exhausted;
  if (exhausted)
    metrics.budgetExhausted.inc({ budget: exhausted.budget, action: exhausted.action });
  if (event.retry) metrics.retries.inc();
  if (event.streamed && outcome === 'client_closed') {
    metrics.abandoned.inc({ reason: 'stream_dropped' });
  }
}

/** Turns telemetry events into the Prometheus series of `metric-set.ts`. */
export function metricsSink(metrics: MetricSet): TelemetrySink {
  return {
    name: 'metrics',
    handle(event: TelemetryEvent) {
      switch (event.type) {
        case 'turn':
          recordTurn(metrics, event);
          return;
        case 'request-failed':
          metrics.requestErrors.inc({ http_route: event.httpRoute, code: event.code });
          return;
        case 'feedback':
          metrics.feedback.inc({ rating: event.rating });
          return;
        case 'conversation':
          metrics.conversationTokens.observe(event.tokens);
          metrics.conversationCost.observe(event.costNanos / NANOS_PER_DOLLAR);
          metrics.conversationTurns.observe(event.turns);
          if (event.abandonedAfterError) metrics.abandoned.inc({ reason: 'left_after_error' });
          return;
        case 'queue':
          metrics.queueWait.observe({ outcome: event.outcome }, event.waitedMs / 1000);
          return;
        case 'breaker':
          metrics.breakerState.set({ target: event.target }, BREAKER_LEVEL[event.state]);
          return;
        case 'spans':
          metrics.traceSpans.inc({ outcome: event.outcome }, event.count);
          return;
        case 'stats-flush':
          if (event.written > 0) metrics.statsWrites.inc({ outcome: 'ok' }, event.written);
          if (event.failed > 0) metrics.statsWrites.inc({ outcome: 'failed' }, event.failed);
          if (event.droppedMinutes > 0) metrics.statsMinutesDropped.inc(event.droppedMinutes);
          return;
      }
    },
  };
}
