import {
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
} from '@opentelemetry/semantic-conventions/incubating';
import type { CollectedResponse } from '../../core/collect.js';
import type { FinishReason } from '../../core/events.js';
import type { AttemptFact } from '../../resilience/index.js';
import type { ModelCallRequest, ModelCallTrace, ResolvedModel, Turn } from '../../runtime/index.js';
import {
  addFinishReason,
  addRequest,
  addUsage,
  genAiAttributes,
  RAMPART,
  recordFailure,
} from './span-attributes.js';
import type { TurnClock } from './span-clock.js';

/** What every model call of one turn shares. */
export interface ModelCallScope {
  tracer: Tracer;
  /** By provider name: `gen_ai.provider.name` and where it is reached, made once. */
  providers: ReadonlyMap<string, Attributes>;
  /** The turn's conversation, which every model call of it carries. */
  conversation: string | undefined;
  clock: TurnClock;
}

type AttemptIdentity = Pick<
  AttemptFact,
  'target' | 'provider' | 'model' | 'attempt' | 'continuation'
>;

/**
 * The spans of one model call, one CLIENT span per attempt. Attempts are reported once they
 * ended, with their duration, so each span is opened back-dated: the fallback loop needs no
 * tracing hook of its own. The attempt that answered is held open until the call's response
 * is in, which gives its finish reason.
 */
export class AttemptSpans implements ModelCallTrace {
  readonly #scope: ModelCallScope;
  readonly #parent: Context;
  readonly #route: ResolvedModel;
  readonly #request: ModelCallRequest;
  readonly #aside: boolean;
  /** When the call began, then when its last attempt ended: where an interrupted one began. */
  #since = performance.now();
  #answered: { span: Span; endedAt: number } | undefined;
  #ended = false;

  constructor(options: {
    scope: ModelCallScope;
    parent: Context;
    route: ResolvedModel;
    request: ModelCallRequest;
    aside: boolean;
  }) {
    this.#scope = options.scope;
    this.#parent = options.parent;
    this.#route = options.route;
    this.#request = options.request;
    this.#aside = options.aside;
  }

  attempt(fact: AttemptFact): void {
    const endedAt = performance.now();
    this.#since = endedAt;
    if (fact.outcome === 'skipped') {
      // No upstream call was made: an event on the parent, so CLIENT spans stay real calls.
      const attributes = { [RAMPART.target]: fact.target, [RAMPART.skipReason]: fact.skipReason };
      trace.getSpan(this.#parent)?.addEvent('rampart.attempt.skipped', attributes);
      return;
    }
    const attributes = this.#attributes(fact);
    if (fact.usage) addUsage(attributes, fact.usage);
    if (fact.timeToFirstEventMs !== undefined) {
      attributes[ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK] = fact.timeToFirstEventMs / 1000;
    }
    if (fact.outcome === 'ok') {
      attributes[ATTR_GEN_AI_RESPONSE_MODEL] = fact.model;
      const span = this.#start(fact.model, attributes, endedAt - fact.durationMs);
      this.#answered = { span, endedAt };
      return;
    }
    const error = fact.error;
    addFinishReason(attributes, 'error');
    if (error?.upstreamStatus !== undefined) {
      attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = error.upstreamStatus;
    }
    const span = this.#start(fact.model, attributes, endedAt - fact.durationMs);
    recordFailure(span, error?.code ?? 'RAMPART_UPSTREAM_ERROR', 'client');
    span.end(this.#scope.clock.at(endedAt));
  }

  end(response: CollectedResponse): void {
    this.#ended = true;
    this.#endAnswered(response.finishReason);
  }

  /**
   * The turn ended while this call was still running (its reader went away and the stream was
   * dropped): the attempt under way gets a span up to now, on the target that was answering.
   */
  interrupt(turn: Turn): void {
    if (this.#ended) return;
    this.#ended = true;
    // An attempt that answered ends the call at once: none was under way after it.
    if (this.#answered) return this.#endAnswered('error');
    const targets = this.#route.targets;
    const target = targets.find((each) => each === turn.servedBy) ?? targets[0];
    if (!target) return;
    const identity = {
      target: target.id,
      provider: target.provider.name,
      model: target.model,
      attempt: 0,
      continuation: false,
    };
    const attributes = this.#attributes(identity);
    addFinishReason(attributes, 'error');
    attributes[RAMPART.interrupted] = true;
    const span = this.#start(target.model, attributes, this.#since);
    recordFailure(span, turn.errorCode ?? 'RAMPART_CLIENT_CLOSED', 'client');
    span.end(this.#scope.clock.at());
  }

  #endAnswered(reason: FinishReason): void {
    const answered = this.#answered;
    if (!answered) return;
    const attributes: Attributes = {};
    addFinishReason(attributes, reason);
    answered.span.setAttributes(attributes);
    answered.span.end(this.#scope.clock.at(answered.endedAt));
    this.#answered = undefined;
  }

  /** What an attempt's span says about the call and its target, before its outcome. */
  #attributes(fact: AttemptIdentity): Attributes {
    const { conversation, providers } = this.#scope;
    const attributes = genAiAttributes('chat', { model: fact.model, conversation });
    const provider = providers.get(fact.provider);
    if (provider) Object.assign(attributes, provider);
    addRequest(attributes, this.#request);
    attributes[RAMPART.route] = this.#route.name;
    attributes[RAMPART.target] = fact.target;
    attributes[RAMPART.fallback] = this.#route.targets[0]?.id !== fact.target;
    if (fact.attempt > 0) attributes[RAMPART.attempt] = fact.attempt;
    if (fact.continuation) attributes[RAMPART.continuation] = true;
    if (this.#aside) attributes[RAMPART.aside] = true;
    return attributes;
  }

  #start(model: string, attributes: Attributes, startedAt: number): Span {
    const startTime = this.#scope.clock.at(startedAt);
    const options = { kind: SpanKind.CLIENT, attributes, startTime };
    return this.#scope.tracer.startSpan(`chat ${model}`, options, this.#parent);
  }
}
