import { textOf, type Message } from '../core/conversation.js';
import { turnOutcome } from '../observe/turn-facts.js';
import type { TurnStage } from './stage.js';
import type { Turn } from './turn.js';

/** Nanodollars in a dollar: costs are kept in nanodollars (see `cost/money.ts`). */
const NANOS_PER_DOLLAR = 1_000_000_000;

/** Longest prompt or completion excerpt written when content logging is on. */
const CONTENT_EXCERPT_CHARS = 2_000;

function excerpt(message: Message | undefined): string | undefined {
  if (!message || message.role === 'system') return undefined;
  const text = message.role === 'tool' ? message.content : textOf(message.content);
  return text.length > CONTENT_EXCERPT_CHARS ? `${text.slice(0, CONTENT_EXCERPT_CHARS)}…` : text;
}

function contentFields(turn: Turn) {
  const lastUser = turn.input.messages.findLast((message) => message.role === 'user');
  return { prompt: excerpt(lastUser), completion: excerpt(turn.produced.at(-1)) };
}

/** What the guard did, only when it did something, to keep the line short. */
function guardFields(turn: Turn) {
  const denied = turn.toolCalls.filter((call) => call.errorCode === 'RAMPART_TOOL_DENIED').length;
  const redacted = Object.keys(turn.guard.redactions).length > 0;
  return {
    ...(denied > 0 ? { toolDenials: denied } : {}),
    ...(turn.pendingToolCalls.length > 0
      ? { toolsAwaitingApproval: turn.pendingToolCalls.length }
      : {}),
    ...(turn.guard.flagged.length > 0 ? { injectionFlags: turn.guard.flagged.length } : {}),
    ...(redacted ? { redactions: turn.guard.redactions } : {}),
    ...(turn.guard.leak ? { leak: turn.guard.leak } : {}),
  };
}

/** Budgets that ended or warned on the turn, only when one did. */
function budgetFields(turn: Turn) {
  const { exhausted, crossed } = turn.budget;
  return {
    ...(exhausted ? { budgetExhausted: exhausted.budget, budgetAction: exhausted.action } : {}),
    ...(crossed.length > 0 ? { budgetWarnings: crossed } : {}),
  };
}

/** How a routing route chose the model, only when one did: the line of a plain model is unchanged. */
function routingFields(turn: Turn) {
  const decision = turn.routing;
  if (!decision) return {};
  const { escalation } = decision;
  return {
    routing: {
      route: decision.route,
      tier: decision.tier,
      baseTier: decision.baseTier,
      basis: decision.basis,
      score: decision.score,
      reasons: decision.reasons,
      signals: escalation.signals.map((fact) => fact.signal),
      escalated: escalation.escalated,
      sticky: escalation.sticky,
      turnsLeft: escalation.turnsLeft,
    },
  };
}

/** How long the turn's first answering call took to its first event, when one answered. */
function firstTokenField(turn: Turn) {
  const first = turn.modelCalls.find((call) => call.timeToFirstEventMs !== undefined);
  return first ? { timeToFirstTokenMs: Math.round(first.timeToFirstEventMs ?? 0) } : {};
}

/** A model name a client sent is logged to this many characters. */
const MAX_LOGGED_MODEL = 200;

/**
 * Writes the one completion line per turn: who, which model, tokens, latency and how it ended.
 * Prompts and completions join it only when `log.content` is on; hot-path detail belongs to
 * metrics.
 */
export function completionLogStage(options: { logContent: boolean }): TurnStage {
  return {
    name: 'completion-log',
    settle(turn) {
      const fields = {
        userId: turn.input.principal.userId,
        sessionId: turn.input.sessionId,
        // The model asked for, also when no route knew it (cut: the client chose its length).
        model: turn.route?.name ?? turn.input.modelName.slice(0, MAX_LOGGED_MODEL),
        ...routingFields(turn),
        servedBy: turn.servedBy?.id,
        modelCalls: turn.modelCalls.filter((call) => call.outcome !== 'skipped').length,
        breakerSkips: turn.modelCalls.filter((call) => call.outcome === 'skipped').length,
        ...(turn.degraded ? { degraded: turn.degraded.source } : {}),
        toolCalls: turn.toolCalls.length,
        toolErrors: turn.toolCalls.filter((call) => !call.ok).length,
        ...guardFields(turn),
        ...budgetFields(turn),
        inputTokens: turn.usage.inputTokens,
        outputTokens: turn.usage.outputTokens,
        ...(turn.usage.estimated === true ? { usageEstimated: true } : {}),
        ...(turn.cost ? { costUsd: turn.cost.total / NANOS_PER_DOLLAR } : {}),
        ...firstTokenField(turn),
        durationMs: Math.round(performance.now() - turn.startedAt),
        outcome: turnOutcome(turn),
        finishReason: turn.finishReason ?? 'error',
        errorCode: turn.errorCode,
        ...(options.logContent ? contentFields(turn) : {}),
      };
      const clientGone = turn.errorCode === 'RAMPART_CLIENT_CLOSED';
      if (turn.errorCode && !clientGone) turn.logger.warn(fields, 'turn failed');
      else turn.logger.info(fields, 'turn completed');
    },
  };
}
