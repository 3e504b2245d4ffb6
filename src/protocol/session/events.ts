import type { Message, ToolCall } from '../../core/conversation.js';
import type { FinishReason, Usage } from '../../core/events.js';
import type { TurnEvent } from '../../runtime/index.js';
import type { RoutingDecision } from '../../cost/index.js';
import { routingView } from './routing-view.js';
import { messageView, pendingCallView } from './views.js';

/** Usage in the field names OpenAI clients already read. */
export function usageView(usage: Usage) {
  const view: Record<string, number | boolean> = {
    prompt_tokens: usage.inputTokens + (usage.cachedInputTokens ?? 0),
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + (usage.cachedInputTokens ?? 0) + usage.outputTokens,
  };
  if (usage.cachedInputTokens) view.cached_tokens = usage.cachedInputTokens;
  if (usage.estimated) view.estimated = true;
  return view;
}

/** One SSE event of the session API. */
export interface SessionSseEvent {
  event: string;
  data: string;
}

export interface TurnEndFacts {
  sessionId: string;
  usage: Usage;
  produced: readonly Message[];
  /** Calls the turn paused on, waiting for the user's approval. */
  pending?: readonly ToolCall[];
  /** How a routing route chose the model; absent when the assistant names a model. */
  routing?: RoutingDecision;
  /** Budgets that ended or warned on the turn; absent: none did. */
  budget?: BudgetView;
}

/** How budgets touched a turn, as the turn result shows it. */
export interface BudgetView {
  /** The budget that was reached and what it did (`message`, `downgrade`). */
  exhausted: { budget: string; action: string } | null;
  /** Budgets at or past their warn line. */
  warnings: string[];
}

/**
 * Encodes a server-side turn as named SSE events: `text-delta`, `tool-start`, `tool-end`, then
 * `turn-end` with usage and the final message, or `error`. The model's own tool-call deltas stay
 * inside the server; clients see the tool runs instead.
 */
export function encodeSessionEvent(
  event: TurnEvent,
  facts: () => TurnEndFacts,
): SessionSseEvent | undefined {
  switch (event.type) {
    case 'text-delta':
      return { event: 'text-delta', data: JSON.stringify({ text: event.text }) };
    case 'tool-start':
      return { event: 'tool-start', data: JSON.stringify({ id: event.callId, name: event.name }) };
    case 'tool-end':
      return {
        event: 'tool-end',
        data: JSON.stringify({
          id: event.callId,
          name: event.name,
          ok: event.ok,
          duration_ms: Math.round(event.durationMs),
          error_code: event.errorCode ?? null,
        }),
      };
    case 'finish':
      return { event: 'turn-end', data: JSON.stringify(turnEndBody(event.reason, facts())) };
    case 'error':
      return { event: 'error', data: JSON.stringify(event.error.toBody()) };
    default:
      return undefined;
  }
}

/** Finish reasons in the names OpenAI clients already know. */
const FINISH_REASONS: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  error: 'error',
};

/** The completion of a turn: how it ended, its usage, and what it added to the session. */
export function turnEndBody(finishReason: FinishReason, facts: TurnEndFacts) {
  const last = facts.produced.at(-1);
  return {
    object: 'session.turn',
    session_id: facts.sessionId,
    finish_reason: FINISH_REASONS[finishReason],
    message: last ? messageView(last) : null,
    messages: facts.produced.map(messageView),
    pending_tool_calls: (facts.pending ?? []).map(pendingCallView),
    usage: usageView(facts.usage),
    ...(facts.budget ? { budget: facts.budget } : {}),
    ...(facts.routing ? { routing: routingView(facts.routing) } : {}),
  };
}
