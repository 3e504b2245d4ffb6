import type {
  Message,
  ModelRequest,
  ToolCall,
  ToolMessage,
  ToolSpec,
} from '../core/conversation.js';
import type { ErrorCode, RampartError } from '../core/errors.js';
import type { FinishReason, Usage } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { Principal } from '../core/principal.js';
import type { RoutingDecision } from '../cost/index.js';
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
  /** The assistant of a session turn, whose routing changes apply when its model is a route. */
  assistant?: string;
  /** What Rampart keeps about the session for itself, as it stood when the turn began. */
  sessionState?: Readonly<Record<string, unknown>>;
  /**
   * The conversation a stateless request belongs to, as the client named it; session turns use
   * `sessionId`. Absent: conversation budgets do not apply.
   */
  conversationId?: string;
  /**
   * True when the client sees nothing until the turn ends (a non-streaming response): a model
   * call that fails midway can then be discarded and retried from the start, invisibly.
   */
  buffered?: boolean;
  /**
   * Tool calls that waited for the user's approval, to run (or decline) before the first model
   * call: the session history already ends with the assistant message that asked for them.
   */
  resume?: ResumedCalls;
  /**
   * Calls that waited for approval and that this turn's user message declined (the user moved
   * on): counted as the turn's declined tool calls, since the pause counted nothing.
   */
  declinedCalls?: readonly ToolCall[];
  /**
   * The W3C trace context the client sent (`traceparent`, `tracestate`), so the turn's trace
   * continues the client's. Read only when tracing is on; an invalid one starts a new trace.
   */
  traceContext?: TraceContextHeaders;
  /** The HTTP route template that took the request (`/v1/chat/completions`), for its trace. */
  httpRoute?: string;
  /**
   * Saves the turn so far (a session turn): `produced` as it stands, then `pending`, results the
   * next save or the commit replaces. Called before a step whose calls may change something,
   * with a result for each call (an interrupted stand-in for those about to run), and after the
   * step with none. Should the process die while the calls run, the session keeps them as calls
   * of unknown outcome, and nothing runs them a second time. A rejection before a step ends the
   * turn before any of its calls runs.
   */
  checkpoint?: (produced: readonly Message[], pending: readonly ToolMessage[]) => Promise<void>;
  signal: AbortSignal;
}

/** The W3C Trace Context request headers, as received. */
export interface TraceContextHeaders {
  traceparent: string;
  tracestate?: string;
}

/** Calls a turn paused on, with the user's decisions. */
export interface ResumedCalls {
  calls: readonly ToolCall[];
  /** Ids of the calls the user approved; the others are declined. */
  approved: ReadonlySet<string>;
}

/** What the guard saw and did during a turn. */
export interface GuardFacts {
  /** Texts the injection check flagged, and what was done with them. */
  flagged: Array<{
    source: 'user' | 'tool' | 'memory';
    action: string;
    score: number;
    rules: string[];
  }>;
  /** Redacted values, by type or data class. */
  redactions: Record<string, number>;
  /** Set when an answer was cut for repeating the system prompt. */
  leak: 'canary' | 'overlap' | undefined;
}

/**
 * Values the output filter leaves alone whatever their shape, learnt from this turn's tool
 * results: the principal's own records and the data classes it is cleared for.
 */
export interface SensitiveValues {
  visible: string[];
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
  /** As the model wrote it: any text, unless `known`. */
  name: string;
  /**
   * True when the name is a registered tool. Only then may monitoring use it as a label or a key:
   * a model can write any name, and every new one would be a new series.
   */
  known: boolean;
  ok: boolean;
  durationMs: number;
  errorCode: ErrorCode | undefined;
}

/** The usage of one model call, with the target that served it: what accounting prices. */
export interface ModelUsageFact {
  /** `provider/model` of the target that answered (the route's first when none did). */
  target: string;
  provider: string;
  model: string;
  usage: Usage;
}

/** What a turn cost in nanodollars (1e-9 USD), split by what spent it, once it is priced. */
export interface TurnCostFact {
  model: number;
  tools: number;
  memory: number;
  total: number;
  /** The model component by `provider/model` of the target that served each call. */
  byTarget: Record<string, number>;
  /** `provider/model` of calls no price was known for: counted, not costed. */
  unpriced: string[];
}

/** Where a principal stands against one rate limit, as the response headers report it. */
export interface LimitReading {
  limit: number;
  remaining: number;
  resetAfterMs: number;
}

/** What the turn's budgets saw and did. */
export interface BudgetFacts {
  /** Budgets already at or past their warn line when the turn reserved. */
  readonly nearlySpent: string[];
  /** Budgets whose spend reached their warn line with this turn: once per window. */
  readonly crossed: string[];
  /** The budget that was reached, and what it did to the turn. */
  exhausted: { budget: string; action: 'message' | 'downgrade' | 'error' } | undefined;
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
  /** How a routing route (`auto`) chose the model, with every reason; absent for model names. */
  routing: RoutingDecision | undefined;
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
  /** Every model call's usage, in order; `usage` is their sum. */
  readonly modelUsage: ModelUsageFact[];
  usage: Usage;
  /** Set when the turn settles, by the accounting stage: what the turn cost. */
  cost: TurnCostFact | undefined;
  finishReason: FinishReason | undefined;
  errorCode: ErrorCode | undefined;
  /** True once any text or tool-call event has gone towards the client. */
  contentStarted: boolean;
  /** Rate-limit readings taken when the turn was admitted. */
  readonly limits: { requests?: LimitReading; tokens?: LimitReading };
  readonly guard: GuardFacts;
  readonly sensitive: SensitiveValues;
  /** Calls waiting for the user's approval: the turn paused on them. */
  readonly pendingToolCalls: ToolCall[];
  readonly budget: BudgetFacts;
  /** Most output tokens the next model call may ask for (budgets clamp it); absent: no clamp. */
  maxOutputTokens: number | undefined;
  /** An answer the turn gives instead of calling the model (a spent budget's message). */
  cannedAnswer: string | undefined;
  /**
   * What a session keeps of messages the turn produced, before the turn ends (a checkpoint): set
   * by the output filter to the view the client was shown; absent, the messages as they are.
   */
  storedView: ((messages: readonly Message[]) => Message[]) | undefined;
  /**
   * Changes to the session's state that stages made (a summary extended, an escalation
   * counted down), committed with the turn's messages; `null` removes an entry. Ignored for
   * turns without a session.
   */
  readonly statePatch: Record<string, unknown>;
  /**
   * Ends the turn's model calls and tools from inside (a leaking answer, say): the turn's signal
   * aborts with `reason`.
   */
  stop(reason: RampartError): void;
  /** Lets go of the caller's signal once the turn has settled (the runtime calls it). */
  release(): void;
}

/**
 * The fact of a call the user declined, counted as the call's end (the pause that asked for the
 * decision counted nothing).
 */
export function declinedCallFact(call: ToolCall, known: boolean): ToolCallFact {
  return {
    callId: call.id,
    name: call.name,
    known,
    ok: false,
    durationMs: 0,
    errorCode: 'RAMPART_TOOL_DECLINED',
  };
}

export function createTurn(input: TurnInput, logger: Logger): Turn {
  const { signal, stop, release } = linkedSignal(input.signal);
  return {
    input: { ...input, signal },
    logger,
    startedAt: performance.now(),
    route: undefined,
    routing: undefined,
    servedBy: undefined,
    degraded: undefined,
    routeDown: false,
    produced: [],
    modelCalls: [],
    // A call waits for approval only when its tool is registered.
    toolCalls: (input.declinedCalls ?? []).map((call) => declinedCallFact(call, true)),
    modelUsage: [],
    usage: { inputTokens: 0, outputTokens: 0 },
    cost: undefined,
    finishReason: undefined,
    errorCode: undefined,
    contentStarted: false,
    limits: {},
    guard: { flagged: [], redactions: {}, leak: undefined },
    sensitive: { visible: [] },
    pendingToolCalls: [],
    statePatch: {},
    budget: { nearlySpent: [], crossed: [], exhausted: undefined },
    maxOutputTokens: undefined,
    cannedAnswer: undefined,
    storedView: undefined,
    stop,
    release,
  };
}

/**
 * A signal that aborts when `parent` does, or on `stop`, with the first reason. It does what
 * `AbortSignal.any` does, which on Node 20 took about 0.7 % of a request's CPU (a weak reference
 * and a finalization registry entry per call); here the link is one listener, taken off again
 * by `release`.
 */
function linkedSignal(parent: AbortSignal) {
  const controller = new AbortController();
  const follow = () => controller.abort(parent.reason);
  if (parent.aborted) follow();
  else parent.addEventListener('abort', follow, { once: true });
  return {
    signal: controller.signal,
    stop: (reason: RampartError) => controller.abort(reason),
    release: () => parent.removeEventListener('abort', follow),
  };
}
