import {
  defaultTextMapGetter,
  defaultTextMapSetter,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ATTR_GEN_AI_REQUEST_STREAM,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions/incubating';
import type { ProviderConfig } from '../../config/index.js';
import type {
  ModelCallRequest,
  ModelCallTrace,
  ResolvedModel,
  Turn,
  TurnInput,
  TurnStage,
  TurnTrace,
  TurnTracer,
  TraceContextHeaders,
} from '../../runtime/index.js';
import type { ToolEvent } from '../../tools/index.js';
import { AttemptSpans, type ModelCallScope } from './model-call-spans.js';
import {
  addProvider,
  addRequest,
  conversationOf,
  genAiAttributes,
  RAMPART,
  recordFailure,
} from './span-attributes.js';
import { TurnClock } from './span-clock.js';
import { tracedStage, type StageSpan, type StageSpanHost } from './stage-spans.js';
import { ToolSpans } from './tool-spans.js';
import { turnEndAttributes } from './turn-attributes.js';

const propagator = new W3CTraceContextPropagator();

/** The client's trace context, when it sent a valid one; otherwise the turn starts a trace. */
function parentOf(input: TurnInput): Context {
  const headers = input.traceContext;
  if (!headers) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/**
 * What a model call's span says about each configured provider, made once: its GenAI provider
 * name and where it is reached (`server.address`, `server.port`).
 */
function providerAttributes(providers: Readonly<Record<string, ProviderConfig>>) {
  const byName = new Map<string, Attributes>();
  for (const [name, provider] of Object.entries(providers)) {
    const attributes: Attributes = {};
    addProvider(attributes, provider.type);
    if (provider.type !== 'simulated') {
      const url = new URL(provider.baseUrl);
      // An IPv6 host is reported without the brackets the URL needs.
      attributes[ATTR_SERVER_ADDRESS] = url.hostname.replace(/^\[(.*)\]$/, '$1');
      attributes[ATTR_SERVER_PORT] =
        url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    }
    byName.set(name, attributes);
  }
  return byName;
}

/** The trace of one sampled turn: its span, and every child span under it. */
class OtelTurnTrace implements TurnTrace, StageSpanHost {
  readonly traceId: string;
  readonly stageSpanMinMs: number;
  readonly clock: TurnClock;
  readonly #tracer: Tracer;
  readonly #span: Span;
  readonly #context: Context;
  readonly #scope: ModelCallScope;
  /** Made on the first tool call: most turns have none. */
  #tools: ToolSpans | undefined;
  readonly #calls: AttemptSpans[] = [];
  /** The span model calls go under while a stage shapes a request; the turn's otherwise. */
  #phase: StageSpan | undefined;

  constructor(options: {
    tracer: Tracer;
    span: Span;
    parent: Context;
    scope: ModelCallScope;
    stageSpanMinMs: number;
  }) {
    this.stageSpanMinMs = options.stageSpanMinMs;
    this.clock = options.scope.clock;
    this.#tracer = options.tracer;
    this.#span = options.span;
    this.#context = trace.setSpan(options.parent, options.span);
    this.#scope = options.scope;
    this.traceId = options.span.spanContext().traceId;
  }

  handOn(): TraceContextHeaders {
    const carrier: Partial<TraceContextHeaders> = {};
    propagator.inject(this.#context, carrier, defaultTextMapSetter);
    return {
      traceparent: carrier.traceparent ?? '',
      ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
    };
  }

  traceStages(stages: readonly TurnStage[]): TurnStage[] {
    return stages.map((stage) => tracedStage(stage, this));
  }

  modelCall(route: ResolvedModel, request: ModelCallRequest, aside: boolean): ModelCallTrace {
    const phase = this.#phase;
    const parent = phase ? trace.setSpan(this.#context, phase.open()) : this.#context;
    const call = new AttemptSpans({ scope: this.#scope, parent, route, request, aside });
    this.#calls.push(call);
    return call;
  }

  tool(event: ToolEvent): void {
    this.#tools ??= new ToolSpans({
      tracer: this.#tracer,
      parent: this.#context,
      clock: this.clock,
    });
    this.#tools.handle(event);
  }

  end(turn: Turn): void {
    for (const call of this.#calls) call.interrupt(turn);
    this.#tools?.closeAll(turn.errorCode ?? 'RAMPART_CLIENT_CLOSED');
    // A name the client made up (an unknown model) stays out of the span name.
    if (!turn.route) this.#span.updateName('chat');
    this.#span.setAttributes(turnEndAttributes(turn));
    if (turn.errorCode) recordFailure(this.#span, turn.errorCode, 'server');
    this.#span.end(this.clock.at());
  }

  startChild(name: string, attributes: Attributes, startedAt: number): Span {
    const options = { kind: SpanKind.INTERNAL, attributes, startTime: this.clock.at(startedAt) };
    return this.#tracer.startSpan(name, options, this.#context);
  }

  async inPhase<T>(span: StageSpan, work: () => Promise<T>): Promise<T> {
    const previous = this.#phase;
    this.#phase = span;
    try {
      return await work();
    } finally {
      this.#phase = previous;
    }
  }
}

/**
 * Whether a turn is traced, decided before anything is built for it: a caller's trace is
 * followed as it says (parent-based), a new one is kept at the ratio. Deciding here rather than
 * in the SDK's sampler spares a dropped turn its attributes and span objects, which at a low
 * ratio is most of what tracing would cost it.
 */
export function sampled(parent: Context, ratio: number, random: () => number): boolean {
  const caller = trace.getSpanContext(parent);
  if (caller) return (caller.traceFlags & TraceFlags.SAMPLED) !== 0;
  return ratio >= 1 || random() < ratio;
}

/**
 * Records turns with an OpenTelemetry tracer: one trace per turn, continuing the client's W3C
 * trace context when it sent one. A turn left out of sampling gets no span and no trace object
 * at all, so it costs what an untraced one does. The tracer's own sampler must keep every span
 * it is asked for (the decision is made here).
 */
export function createTurnTracer(options: {
  tracer: Tracer;
  providers: Readonly<Record<string, ProviderConfig>>;
  /** Stage hooks quicker than this get no span (see `observe.tracing.stageSpanMinMs`). */
  stageSpanMinMs: number;
  /** Share of new traces recorded (`observe.tracing.sampleRatio`). */
  sampleRatio: number;
  /** Uniform in [0, 1); injectable for tests. */
  random?: () => number;
}): TurnTracer {
  const { tracer, stageSpanMinMs, sampleRatio } = options;
  const random = options.random ?? Math.random;
  const providers = providerAttributes(options.providers);
  return {
    startTurn(input) {
      const parent = parentOf(input);
      if (!sampled(parent, sampleRatio, random)) return undefined;
      const conversation = conversationOf(input);
      const attributes = genAiAttributes('chat', { model: input.modelName, conversation });
      addRequest(attributes, input.options);
      if (input.buffered === false) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
      attributes[RAMPART.requestId] = input.requestId;
      if (input.httpRoute !== undefined) {
        // Every turn arrives as a POST; the route is the template, never the session's id.
        attributes[ATTR_HTTP_REQUEST_METHOD] = 'POST';
        attributes[ATTR_HTTP_ROUTE] = input.httpRoute;
      }
      const clock = new TurnClock();
      const options = { kind: SpanKind.SERVER, attributes, startTime: clock.at() };
      const span = tracer.startSpan(`chat ${input.modelName}`, options, parent);
      if (!span.isRecording()) return undefined;
      const scope = { tracer, providers, conversation, clock };
      return new OtelTurnTrace({ tracer, span, parent, scope, stageSpanMinMs });
    },
  };
}
