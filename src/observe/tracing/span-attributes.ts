import { SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_SEED,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_REQUEST_TOP_P,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_SYSTEM,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC,
  GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
} from '@opentelemetry/semantic-conventions/incubating';
import type { ModelRequest } from '../../core/conversation.js';
import type { FinishReason, Usage } from '../../core/events.js';
import { ERROR_CODES } from '../../core/errors.js';
import type { ProviderKind } from '../../providers/index.js';

/**
 * Prompt tokens written to a provider's prompt cache. The current GenAI conventions name it so;
 * @opentelemetry/semantic-conventions 1.45.0 still carries only the older
 * `gen_ai.usage.cache_creation.input_tokens`.
 */
export const ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS = 'gen_ai.usage.cache_write.input_tokens';

/** Rampart's own attributes, beside the GenAI ones. */
export const RAMPART = {
  requestId: 'rampart.request.id',
  route: 'rampart.route',
  servedBy: 'rampart.served_by',
  target: 'rampart.target',
  attempt: 'rampart.attempt',
  fallback: 'rampart.fallback',
  fallbackCount: 'rampart.fallback.count',
  continuation: 'rampart.continuation',
  aside: 'rampart.aside',
  interrupted: 'rampart.interrupted',
  skipReason: 'rampart.skip_reason',
  usageEstimated: 'rampart.usage.estimated',
  guardVerdicts: 'rampart.guard.verdicts',
  guardRedactions: 'rampart.guard.redactions',
  guardLeak: 'rampart.guard.leak',
  costUsd: 'rampart.cost.usd',
  budgetExhausted: 'rampart.budget.exhausted',
  degraded: 'rampart.degraded',
  toolOutcome: 'rampart.tool.outcome',
  stage: 'rampart.stage',
  stageHook: 'rampart.stage.hook',
} as const;

/**
 * `gen_ai.provider.name` by provider kind: the wire format Rampart speaks to it, which is what
 * the conventions ask for (an OpenAI-compatible server reached through the OpenAI format is
 * `openai`). The simulated model says what it is.
 */
const PROVIDER_NAMES: Record<ProviderKind, string> = {
  openai: GEN_AI_PROVIDER_NAME_VALUE_OPENAI,
  anthropic: GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC,
  simulated: 'simulated',
};

/*
 * The helpers below write into the attributes object a span is started with, rather than each
 * building one to be merged: spans are made on every turn, and the copies would be garbage.
 */

/** The provider: its current name, and the older `gen_ai.system` some backends still read. */
export function addProvider(into: Attributes, kind: ProviderKind): void {
  const name = PROVIDER_NAMES[kind];
  into[ATTR_GEN_AI_PROVIDER_NAME] = name;
  into[ATTR_GEN_AI_SYSTEM] = name;
}

/** Finish reasons in the spelling the providers' own APIs (and most backends) use. */
const FINISH_REASONS: Record<FinishReason, readonly string[]> = {
  stop: ['stop'],
  length: ['length'],
  'tool-calls': ['tool_calls'],
  'content-filter': ['content_filter'],
  error: ['error'],
};

export function addFinishReason(into: Attributes, reason: FinishReason): void {
  into[ATTR_GEN_AI_RESPONSE_FINISH_REASONS] = [...FINISH_REASONS[reason]];
}

/** The sampling settings the request set; unset ones are left out, not reported as defaults. */
export function addRequest(
  into: Attributes,
  request: Pick<ModelRequest, 'maxTokens' | 'temperature' | 'topP' | 'seed'>,
): void {
  if (request.maxTokens !== undefined) into[ATTR_GEN_AI_REQUEST_MAX_TOKENS] = request.maxTokens;
  if (request.temperature !== undefined)
    into[ATTR_GEN_AI_REQUEST_TEMPERATURE] = request.temperature;
  if (request.topP !== undefined) into[ATTR_GEN_AI_REQUEST_TOP_P] = request.topP;
  if (request.seed !== undefined) into[ATTR_GEN_AI_REQUEST_SEED] = request.seed;
}

/**
 * Token counts as the conventions define them: `input_tokens` includes cached and cache-written
 * prompt tokens (Rampart's `inputTokens` counts only those billed at the full price).
 */
export function addUsage(into: Attributes, usage: Usage): void {
  const cached = usage.cachedInputTokens ?? 0;
  const written = usage.cacheWriteInputTokens ?? 0;
  into[ATTR_GEN_AI_USAGE_INPUT_TOKENS] = usage.inputTokens + cached + written;
  into[ATTR_GEN_AI_USAGE_OUTPUT_TOKENS] = usage.outputTokens;
  if (cached > 0) into[ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS] = cached;
  if (written > 0) into[ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS] = written;
  if (usage.estimated === true) into[RAMPART.usageEstimated] = true;
}

/** The conversation a turn belongs to: its session, or the id a stateless client named. */
export function conversationOf(input: {
  sessionId?: string;
  conversationId?: string;
}): string | undefined {
  return input.sessionId ?? input.conversationId;
}

/** What every GenAI span starts with: the operation and, for a model call, the model asked for. */
export function genAiAttributes(
  operation: string,
  options: { model?: string; conversation?: string | undefined } = {},
): Attributes {
  const attributes: Attributes = { [ATTR_GEN_AI_OPERATION_NAME]: operation };
  if (options.model !== undefined) attributes[ATTR_GEN_AI_REQUEST_MODEL] = options.model;
  if (options.conversation !== undefined) {
    attributes[ATTR_GEN_AI_CONVERSATION_ID] = options.conversation;
  }
  return attributes;
}

/**
 * Marks a span as failed with a Rampart error code as `error.type` (stable and low in
 * cardinality, and listed in docs/errors.md). On spans that answer a client (`server`), a
 * refusal of the client's request (a 4xx) is the expected outcome, not a failure of Rampart:
 * it keeps `error.type` but not the error status, as the HTTP conventions do for server spans.
 */
export function recordFailure(span: Span, code: string, side: 'server' | 'client') {
  span.setAttribute(ATTR_ERROR_TYPE, code);
  const status = (ERROR_CODES as Record<string, { status: number } | undefined>)[code]?.status;
  if (side === 'server' && status !== undefined && status < 500) return;
  span.setStatus({ code: SpanStatusCode.ERROR });
}
