import { SpanKind, SpanStatusCode, type Context, type Span, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_NAME,
} from '@opentelemetry/semantic-conventions/incubating';
import type { ToolEvent } from '../../tools/index.js';
import { awaitsApproval, toolCallOutcome } from '../turn-facts.js';
import { genAiAttributes, RAMPART } from './span-attributes.js';
import type { TurnClock } from './span-clock.js';

type ToolEnd = Extract<ToolEvent, { type: 'tool-end' }>;

/**
 * One INTERNAL span per server-side tool call, from its start to its end, all children of the
 * turn's span however many run at once. Calls are matched by id; a model that reuses an id
 * gets its spans matched in order.
 */
export class ToolSpans {
  readonly #tracer: Tracer;
  readonly #parent: Context;
  readonly #clock: TurnClock;
  readonly #open = new Map<string, Span[]>();

  constructor(options: { tracer: Tracer; parent: Context; clock: TurnClock }) {
    this.#tracer = options.tracer;
    this.#parent = options.parent;
    this.#clock = options.clock;
  }

  handle(event: ToolEvent): void {
    if (event.type === 'tool-start') return this.#start(event.callId, event.name);
    this.#end(event);
  }

  /** Ends calls still open when the turn ended (it was cancelled while they ran). */
  closeAll(code: string): void {
    for (const spans of this.#open.values()) {
      for (const span of spans) {
        span.setAttribute(ATTR_ERROR_TYPE, code);
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.end(this.#clock.at());
      }
    }
    this.#open.clear();
  }

  #start(callId: string, name: string): void {
    const attributes = genAiAttributes('execute_tool');
    attributes[ATTR_GEN_AI_TOOL_NAME] = name;
    attributes[ATTR_GEN_AI_TOOL_CALL_ID] = callId;
    const options = { kind: SpanKind.INTERNAL, attributes, startTime: this.#clock.at() };
    const span = this.#tracer.startSpan(`execute_tool ${name}`, options, this.#parent);
    const open = this.#open.get(callId);
    if (open) open.push(span);
    else this.#open.set(callId, [span]);
  }

  #end(event: ToolEnd): void {
    const open = this.#open.get(event.callId);
    const span = open?.shift();
    if (!span) return;
    if (open?.length === 0) this.#open.delete(event.callId);
    if (event.errorCode === 'RAMPART_TOOL_NOT_FOUND') {
      // The model named a tool that does not exist: its name is the model's text, so it stays
      // an attribute and out of the span name, which backends group by.
      span.updateName('execute_tool');
    }
    // A call waiting for the user's approval is paused, not failed.
    if (awaitsApproval(event)) {
      span.setAttribute(RAMPART.toolOutcome, 'pending');
    } else {
      span.setAttribute(
        RAMPART.toolOutcome,
        toolCallOutcome({ ...event, errorCode: event.errorCode }),
      );
      if (!event.ok) {
        span.setAttribute(ATTR_ERROR_TYPE, event.errorCode ?? 'RAMPART_INTERNAL');
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    }
    span.end(this.#clock.at());
  }
}
