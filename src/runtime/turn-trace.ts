import type { CollectedResponse } from '../core/collect.js';
import type { AttemptFact } from '../resilience/index.js';
import type { ToolEvent } from '../tools/index.js';
import type { ModelCallRequest, TurnStage } from './stage.js';
import type { ResolvedModel, TraceContextHeaders, Turn, TurnInput } from './turn.js';

/**
 * Records turns as traces. The runtime knows only these interfaces; an OpenTelemetry
 * implementation lives in `observe/tracing/` and is loaded only when tracing is on, so a
 * runtime without a tracer pays one `undefined` check per hook and nothing else.
 */
export interface TurnTracer {
  /** Opens a turn's trace; undefined when the turn is not sampled, so nothing more is done. */
  startTurn(input: TurnInput): TurnTrace | undefined;
}

/**
 * The trace of one turn. The turn's span is passed to every child explicitly rather than
 * through an ambient context: the turn runs inside an async generator that the HTTP edge
 * iterates, where an ambient context would be the edge's, not the turn's.
 */
export interface TurnTrace {
  /** Hex id of the trace, for log lines. */
  readonly traceId: string;
  /**
   * The W3C trace context of the turn's own span, for work the turn hands on (a deferred job) to
   * be traced as its child. Built when asked: most turns hand nothing on.
   */
  handOn(): TraceContextHeaders;
  /** The same stages, each hook that does work wrapped in a span of its own. */
  traceStages(stages: readonly TurnStage[]): TurnStage[];
  /** Opens one model call over a route: each attempt becomes a span. */
  modelCall(route: ResolvedModel, request: ModelCallRequest, aside: boolean): ModelCallTrace;
  /** A server-side tool call started or ended. */
  tool(event: ToolEvent): void;
  /** The turn settled: its span gets the turn's facts and ends. */
  end(turn: Turn): void;
}

/** The spans of one model call's attempts. */
export interface ModelCallTrace {
  /** An attempt ended (or its target was skipped). */
  attempt(fact: AttemptFact): void;
  /** The call ended with this response. */
  end(response: CollectedResponse): void;
}
