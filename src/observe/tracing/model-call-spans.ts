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
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
} from '@opentelemetry/semantic-conventions/incubating';
import type { CollectedResponse } from '../../core/collect.js';
import type { FinishReason } from '../../core/events.js';
import type { ProviderKind } from '../../providers/index.js';
import type { AttemptFact } from '../../resilience/index.js';
import type { ModelCallRequest, ModelCallTrace, ResolvedModel, Turn } from '../../runtime/index.js';
import {
  finishReasons,
  operationAttributes,
  providerAttributes,
  RAMPART,
  recordFailure,
  requestAttributes,
  usageAttributes,
} from './span-attributes.js';

/** What the spans say about a configured provider: its kind and where it is reached. */
export interface ProviderFacts {
  kind: ProviderKind;
  address?: string;
  port?: number;
}

/** What every model call of one turn shares. */
export interface ModelCallScope {
  tracer: Tracer;
  providers: ReadonlyMap<string, ProviderFacts>;
  /** Attributes every model call of the turn carries (its conversation). */
  common: Attributes;
}

/** Wall-clock milliseconds of a `performance.now()` reading, the clock the SDK itself uses. */
function epochMs(now: number): number {
  return performance.timeOrigin + now;
}

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
  readonly #request: Attributes;
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
    this.#request = requestAttributes(options.request);
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
    const span = this.#open(fact, endedAt - fact.durationMs);
    if (fact.usage) span.setAttributes(usageAttributes(fact.usage));
    if (fact.timeToFirstEventMs !== undefined) {
      span.setAttribute(ATTR_GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK, fact.timeToFirstEventMs / 1000);
    }
    if (fact.outcome === 'ok') {
      span.setAttribute(ATTR_GEN_AI_RESPONSE_MODEL, fact.model);
      this.#answered = { span, endedAt };
      return;
    }
    span.setAttributes(finishReasons('error'));
    const error = fact.error;
    if (error?.upstreamStatus !== undefined) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, error.upstreamStatus);
    }
    recordFailure(span, error?.code ?? 'RAMPART_UPSTREAM_ERROR', 'client');
    span.end(epochMs(endedAt));
  }

  end(response: CollectedResponse): void {
    this.#ended = true;
    this.#endAnswered(response.finishReason);
  }

  /**
   * The turn ended while this call was still running (its client left and the stream was
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
    const fact = { target: target.id, provider: target.provider.name, model: target.model };
    const span = this.#open({ ...fact, attempt: 0, continuation: false }, this.#since);
    span.setAttributes({ ...finishReasons('error'), [RAMPART.interrupted]: true });
    recordFailure(span, turn.errorCode ?? 'RAMPART_CLIENT_CLOSED', 'client');
    span.end();
  }

  #endAnswered(reason: FinishReason): void {
    const answered = this.#answered;
    if (!answered) return;
    answered.span.setAttributes(finishReasons(reason));
    answered.span.end(epochMs(answered.endedAt));
    this.#answered = undefined;
  }

  #open(
    fact: Pick<AttemptFact, 'target' | 'provider' | 'model' | 'attempt' | 'continuation'>,
    startedAt: number,
  ): Span {
    const provider = this.#scope.providers.get(fact.provider);
    const attributes: Attributes = {
      ...operationAttributes('chat', fact.model),
      ...(provider ? providerAttributes(provider.kind) : {}),
      ...this.#request,
      ...this.#scope.common,
      [RAMPART.route]: this.#route.name,
      [RAMPART.target]: fact.target,
      [RAMPART.fallback]: this.#route.targets[0]?.id !== fact.target,
    };
    if (fact.attempt > 0) attributes[RAMPART.attempt] = fact.attempt;
    if (fact.continuation) attributes[RAMPART.continuation] = true;
    if (this.#aside) attributes[RAMPART.aside] = true;
    if (provider?.address !== undefined) {
      attributes[ATTR_SERVER_ADDRESS] = provider.address;
      if (provider.port !== undefined) attributes[ATTR_SERVER_PORT] = provider.port;
    }
    const options = { kind: SpanKind.CLIENT, attributes, startTime: epochMs(startedAt) };
    return this.#scope.tracer.startSpan(`chat ${fact.model}`, options, this.#parent);
  }
}
