import { ResponseCollector, type ModelEvent } from '../core/index.js';
import {
  anthropicErrorTypeOf,
  buildMessage,
  createMessagesEventEncoder,
  parseMessagesRequest,
  pingEvent,
  type AnthropicErrorBody,
} from '../protocol/anthropic/index.js';
import { formatSseEvent } from '../protocol/sse/index.js';
import { reportedModel, type WireError, type WireFormat } from './wire-format.js';

const PING = formatSseEvent(pingEvent());

/** The Anthropic Messages format (https://docs.anthropic.com/en/api/messages). */
export function createAnthropicFormat(defaultModel: string): WireFormat {
  return {
    parse(body) {
      const parsed = parseMessagesRequest(body);
      const model = reportedModel(parsed.model, defaultModel);
      return {
        request: { model, ...parsed.request },
        stream: parsed.stream,
        model,
        includeUsage: false,
      };
    },
    encodeStream(call, events, id) {
      const inputTokens = events.find((event) => event.type === 'usage')?.usage.inputTokens;
      const encoder = createMessagesEventEncoder({ id, model: call.model, inputTokens });
      const groups = events.map((event) =>
        encoder.encode(withToolUseId(event)).map(formatSseEvent),
      );
      // Anthropic sends a `ping` right after `message_start`, and clients must accept it there.
      groups[0]?.splice(1, 0, PING);
      return { groups, tail: encoder.finish().map(formatSseEvent) };
    },
    buildResponse(call, events, id) {
      const collector = new ResponseCollector();
      for (const event of events) collector.add(withToolUseId(event));
      return JSON.stringify(buildMessage({ id, model: call.model }, collector.result()));
    },
    errorBody: anthropicErrorBody,
    inBandError: (error) => formatSseEvent({ event: 'error', data: anthropicErrorBody(error) }),
    malformedChunk:
      'event: content_block_delta\n' +
      'data: {"type": "content_block_delta", "index": 0, "delta": {\n\n',
    idPrefix: 'msg_',
    requestIdHeader: 'request-id',
  };
}

function anthropicErrorBody(error: WireError): string {
  const type = anthropicErrorTypeOf(error.status);
  const body: AnthropicErrorBody = { type: 'error', error: { type, message: error.message } };
  return JSON.stringify(body);
}

/** Anthropic tool-use ids start with `toolu_`; the model's `call_` ids are renamed to match. */
function withToolUseId(event: ModelEvent): ModelEvent {
  if (event.type !== 'tool-call-start' && event.type !== 'tool-call-end') return event;
  if (!event.id.startsWith('call_')) return event;
  return { ...event, id: `toolu_${event.id.slice('call_'.length)}` };
}
