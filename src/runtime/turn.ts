import type { Message, ModelRequest, ToolSpec } from '../core/conversation.js';
import type { ErrorCode } from '../core/errors.js';
import type { FinishReason, Usage } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Principal } from '../core/principal.js';
import type { AttemptFact, FallbackPolicy, RouteTarget } from '../resilience/index.js';

/** Sampling and tool options of a turn's model calls, as the client asked for them. */
export type ModelOptions = Omit<ModelRequest, 'model' | 'messages' | 'tools'>;

/** Server-side tools for a turn: the tool loop runs these and feeds results back to the model. */
export interface ServerTools {
  names: readonly string[];
  concurrency: number;
  timeoutMs: number;
  /** Most model calls in the turn. */
  maxSteps: number;
}

/** What a protocol edge hands the runtime to run one turn. */
export interface TurnInput {
  requestId: string;
  principal: Principal;
  /** The model name the client asked for (a key of `models` in config). */
  modelName: string;
  /** The conversation as the model should see it, system prompt included. */
  messages: Message[];
  options: ModelOptions;
  /** Tools the client declared itself: the model's calls go back to the client. */
  clientTools?: ToolSpec[];
  /** Tools the server runs (session turns). Exclusive with `clientTools`. */
  serverTools?: ServerTools;
  sessionId?: string;
  /**
   * True when the client sees nothing until the turn ends (a non-streaming response): a model
   * call that fails midway can then be discarded and retried from the start, invisibly.
   */
  buffered?: boolean;
  signal: AbortSignal;
}

/** A model name resolved to its route: the targets in order, and how failures are handled. */
export interface ResolvedModel {
  name: string;
  /** The primary target first, then the fallbacks. */
  targets: readonly RouteTarget[];
  policy: FallbackPolicy;
}

/** One attempt of a model call against one target, as recorded for logs and metrics. */
export type ModelCallFact = Omit<AttemptFact, 'target' | 'error'> & {
  errorCode: ErrorCode | undefined;
};

/** Why an answer did not come from a model, when it did not. */
export interface DegradedMark {
  /** `cache`: a stored answer to the same question and context, served while the route was down. */
  source: 'cache';
  /** When the served answer was first given (ISO 8601). */
  storedAt: string;
}

/** One server-side tool call, as recorded. */
export interface ToolCallFact {
  callId: string;
  name: string;
  ok: boolean;
  durationMs: number;
  errorCode: ErrorCode | undefined;
}

/** Where a principal stands against one rate limit, as the response headers report it. */
export interface LimitReading {
  limit: number;
  remaining: number;
  resetAfterMs: number;
}

/**
 * The record of one turn. Stages read and write it; logs, metrics, traces and the API response
 * all read from these same facts.
 */
export interface Turn {
  readonly input: TurnInput;
  readonly logger: Logger;
  readonly startedAt: number;
  route: ResolvedModel | undefined;
  /** The target that gave the answer, once one did. */
  servedBy: RouteTarget | undefined;
  /** Set when the answer came from degraded mode instead of a model. */
  degraded: DegradedMark | undefined;
  /** True when the turn failed because every target of its route was down. */
  routeDown: boolean;
  /** Messages the turn produced (assistant turns and tool results), in order. */
  readonly produced: Message[];
  readonly modelCalls: ModelCallFact[];
  readonly toolCalls: ToolCallFact[];
  usage: Usage;
  finishReason: FinishReason | undefined;
  errorCode: ErrorCode | undefined;
  /** True once any text or tool-call event has gone towards the client. */
  contentStarted: boolean;
  /** Rate-limit readings taken when the turn was admitted. */
  readonly limits: { requests?: LimitReading; tokens?: LimitReading };
}

export function createTurn(input: TurnInput, logger: Logger): Turn {
  return {
    input,
    logger,
    startedAt: performance.now(),
    route: undefined,
    servedBy: undefined,
    degraded: undefined,
    routeDown: false,
    produced: [],
    modelCalls: [],
    toolCalls: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    finishReason: undefined,
    errorCode: undefined,
    contentStarted: false,
    limits: {},
  };
}
