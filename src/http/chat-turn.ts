import { randomId } from '../core/random-id.js';
import { ResponseCollector, type CollectedResponse } from '../core/collect.js';
import type { ModelEvent } from '../core/events.js';
import type { Principal } from '../core/principal.js';
import type { ParsedChatRequest } from '../protocol/openai/index.js';
import type { TurnEvent, TurnInput } from '../runtime/index.js';

/** A client's request in neutral terms, whichever wire format it came in. */
export type ClientRequest = Pick<ParsedChatRequest, 'model' | 'stream' | 'request'>;

/**
 * The turn a chat completion (or Anthropic messages) request asks for: one model call, tools
 * left to the client.
 */
export function chatTurnInput(
  parsed: ClientRequest,
  principal: Principal,
  requestId: string,
  signal: AbortSignal,
): TurnInput {
  const { tools, messages, ...options } = parsed.request;
  return {
    requestId,
    principal,
    modelName: parsed.model,
    messages,
    options,
    clientTools: tools,
    buffered: !parsed.stream,
    signal,
  };
}

export function isModelEvent(event: TurnEvent): event is ModelEvent {
  return event.type !== 'tool-start' && event.type !== 'tool-end' && event.type !== 'step-start';
}

/** Collects a client turn's events into one response, as a non-streaming request returns it. */
export async function collectTurn(events: AsyncIterable<TurnEvent>): Promise<CollectedResponse> {
  const collector = new ResponseCollector();
  for await (const event of events) if (isModelEvent(event)) collector.add(event);
  return collector.result();
}

/** The identity of one chat completion. */
export function newCompletionIdentity(model: string) {
  return {
    id: `chatcmpl-${randomId(12)}`,
    model,
    created: Math.floor(Date.now() / 1000),
  };
}
