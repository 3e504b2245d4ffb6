import {
  defaultTextMapGetter,
  ROOT_CONTEXT,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ATTR_GEN_AI_REQUEST_STREAM } from '@opentelemetry/semantic-conventions/incubating';
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
} from '../../runtime/index.js';
import type { ToolEvent } from '../../tools/index.js';
import { AttemptSpans, type ModelCallScope, type ProviderFacts } from './model-call-spans.js';
import {
  conversationAttributes,
  operationAttributes,
  RAMPART,
  recordFailure,
  requestAttributes,
} from './span-attributes.js';
import { tracedStage, type StageSpanHost } from './stage-spans.js';
import { ToolSpans } from './tool-spans.js';
import { turnEndAttributes } from './turn-attributes.js';

const propagator = new W3CTraceContextPropagator();

/** The client's trace context, when it sent a valid one; otherwise the turn starts a trace. */
function parentOf(input: TurnInput): Context {
  const headers = input.traceContext;
  if (!headers) return ROOT_CONTEXT;
  return propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
}

/** Where each configured provider is reached, for `server.address` and `server.port`. */
function providerFacts(providers: Readonly<Record<string, ProviderConfig>>) {
  const facts = new Map<string, ProviderFacts>();
  for (const [name, provider] of Object.entries(providers)) {
    if (provider.type === 'simulated') {
      facts.set(name, { kind: 'simulated' });
      continue;
    }
    const url = new URL(provider.baseUrl);
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    facts.set(name, { kind: provider.type, address: url.hostname, port });
  }
  return facts;
}

/** The trace of one sampled turn: its span, and every child span under it. */
class OtelTurnTrace implements TurnTrace, StageSpanHost {
  readonly traceId: string;
  readonly #tracer: Tracer;
  readonly #span: Span;
  readonly #context: Context;
  readonly #scope: ModelCallScope;
  readonly #tools: ToolSpans;
  readonly #calls: AttemptSpans[] = [];
  /** The span model calls go under while a stage shapes a request; the turn's otherwise. */
  #phase: Context | undefined;

  constructor(options: { tracer: Tracer; span: Span; parent: Context; scope: ModelCallScope }) {
    this.#tracer = options.tracer;
    this.#span = options.span;
    this.#context = trace.setSpan(options.parent, options.span);
    this.#scope = options.scope;
    this.#tools = new ToolSpans(options.tracer, this.#context);
    this.traceId = options.span.spanContext().traceId;
  }

  traceStages(stages: readonly TurnStage[]): TurnStage[] {
    return stages.map((stage) => tracedStage(stage, this));
  }

  modelCall(route: ResolvedModel, request: ModelCallRequest, aside: boolean): ModelCallTrace {
    const parent = this.#phase ?? this.#context;
    const call = new AttemptSpans({ scope: this.#scope, parent, route, request, aside });
    this.#calls.push(call);
    return call;
  }

  tool(event: ToolEvent): void {
    this.#tools.handle(event);
  }

  end(turn: Turn): void {
    for (const call of this.#calls) call.interrupt(turn);
    this.#tools.closeAll(turn.errorCode ?? 'RAMPART_CLIENT_CLOSED');
    // A name the client made up (an unknown model) stays out of the span name.
    if (!turn.route) this.#span.updateName('chat');
    this.#span.setAttributes(turnEndAttributes(turn));
    if (turn.errorCode) recordFailure(this.#span, turn.errorCode, 'server');
    this.#span.end();
  }

  startChild(name: string, attributes: Attributes): Span {
    return this.#tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes }, this.#context);
  }

  async inPhase<T>(span: Span, work: () => Promise<T>): Promise<T> {
    const previous = this.#phase;
    this.#phase = trace.setSpan(this.#context, span);
    try {
      return await work();
    } finally {
      this.#phase = previous;
    }
  }
}

/**
 * Records turns with an OpenTelemetry tracer: one trace per turn, continuing the client's W3C
 * trace context when it sent one. A turn the sampler drops gets no trace object at all, so it
 * costs what an untraced one does.
 */
export function createTurnTracer(options: {
  tracer: Tracer;
  providers: Readonly<Record<string, ProviderConfig>>;
}): TurnTracer {
  const { tracer } = options;
  const providers = providerFacts(options.providers);
  return {
    startTurn(input) {
      const parent = parentOf(input);
      const common = conversationAttributes(input);
      const attributes: Attributes = {
        ...operationAttributes('chat', input.modelName),
        ...requestAttributes(input.options),
        ...common,
        [RAMPART.requestId]: input.requestId,
      };
      if (input.buffered === false) attributes[ATTR_GEN_AI_REQUEST_STREAM] = true;
      const options = { kind: SpanKind.SERVER, attributes };
      const span = tracer.startSpan(`chat ${input.modelName}`, options, parent);
      if (!span.isRecording()) return undefined;
      const scope = { tracer, providers, common };
      return new OtelTurnTrace({ tracer, span, parent, scope });
    },
  };
}
