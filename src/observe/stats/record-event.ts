import type { ConversationEnded, SettledTurn, TelemetryEvent, TurnSettled } from '../telemetry.js';
import {
  awaitsApproval,
  fallbackCount,
  modelCallOutcome,
  timedToolCall,
  targetOf,
  toolCallOutcome,
  toolLabel,
  turnOutcome,
  turnTokens,
  upstreamCalls,
} from '../turn-facts.js';
import { toMicros } from './precision.js';
import type { Rollup } from './rollup.js';
import { COUNTER, modelName, toolName } from './stats-names.js';

/**
 * Adds what one event says to its minute's rollup, asked for only for an event it records: the
 * others (queues, breakers, monitoring's own reports) open no minute.
 */
export function recordEvent(rollupOf: () => Rollup, event: TelemetryEvent): void {
  switch (event.type) {
    case 'turn':
      recordTurn(rollupOf(), event);
      return;
    case 'feedback':
      rollupOf().count(event.rating === 'up' ? COUNTER.feedbackUp : COUNTER.feedbackDown);
      return;
    case 'conversation':
      recordConversation(rollupOf(), event);
      return;
    default:
      return;
  }
}

function recordTurn(rollup: Rollup, event: TurnSettled): void {
  const { turn } = event;
  rollup.count(COUNTER.turns);
  const outcome = turnOutcome(turn);
  if (outcome === 'error') rollup.count(COUNTER.errors);
  if (outcome === 'client_closed') rollup.count(COUNTER.clientClosed);
  // A client that drops a stream before its end has given up on the answer.
  if (outcome === 'client_closed' && event.streamed) rollup.count(COUNTER.streamDropped);
  if (event.retry) rollup.count(COUNTER.retries);
  rollup.count(COUNTER.tokens, turnTokens(turn));
  rollup.count(COUNTER.costNanos, turn.cost?.total ?? 0);
  rollup.count(COUNTER.fallbacks, fallbackCount(turn));
  if (turn.degraded) rollup.count(COUNTER.cacheHits);
  rollup.count(COUNTER.guardFlagged, turn.guard.flagged.length);
  let redactions = 0;
  for (const type in turn.guard.redactions) redactions += turn.guard.redactions[type] ?? 0;
  rollup.count(COUNTER.guardRedactions, redactions);
  recordModelCalls(rollup, turn);
  recordToolCalls(rollup, turn);
}

/** Upstream attempts only: a breaker's skip made no call and has no latency. */
function recordModelCalls(rollup: Rollup, turn: SettledTurn): void {
  for (const call of upstreamCalls(turn)) {
    const target = rollup.admit('model', targetOf(call));
    rollup.count(COUNTER.modelCalls);
    rollup.count(modelName(target, 'calls'));
    if (modelCallOutcome(call) === 'failed') rollup.count(modelName(target, 'failed'));
    rollup.observe(modelName(target, 'duration'), toMicros(call.durationMs));
    if (call.timeToFirstEventMs !== undefined) {
      rollup.observe(modelName(target, 'ttft'), toMicros(call.timeToFirstEventMs));
    }
    // The provider served part of the prompt from its cache.
    if ((call.usage?.cachedInputTokens ?? 0) > 0) rollup.count(COUNTER.cacheHits);
  }
}

/**
 * Every call counts towards its outcome once it has one (not while it awaits approval); only
 * calls that ran (ok, failed, timed out) have a duration worth a percentile; a refused or
 * malformed call took no time.
 */
function recordToolCalls(rollup: Rollup, turn: SettledTurn): void {
  for (const call of turn.toolCalls) {
    if (awaitsApproval(call)) continue;
    const outcome = toolCallOutcome(call);
    const tool = rollup.admit('tool', toolLabel(call));
    rollup.count(toolName(tool, outcome));
    if (timedToolCall(call)) {
      rollup.observe(toolName(tool, 'duration'), toMicros(call.durationMs));
    }
  }
}

function recordConversation(rollup: Rollup, event: ConversationEnded): void {
  rollup.count(COUNTER.conversationsEnded);
  rollup.count(COUNTER.conversationTurns, event.turns);
  rollup.count(COUNTER.conversationTokens, event.tokens);
  rollup.count(COUNTER.conversationCostNanos, event.costNanos);
  if (event.abandonedAfterError) rollup.count(COUNTER.leftAfterError);
}
