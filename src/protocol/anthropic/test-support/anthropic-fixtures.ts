import type { SseEvent } from '../../sse/index.js';

/*
 * Recorded-style Anthropic Messages streams, shaped as the public streaming documentation shows
 * them (https://docs.anthropic.com/en/docs/build-with-claude/streaming). Values are synthetic.
 */

/** One SSE event whose `event:` name equals the payload's `type`, as Anthropic sends them. */
export function anthropicEvent(payload: { type: string } & Record<string, unknown>): SseEvent {
  return { event: payload.type, data: JSON.stringify(payload) };
}

/** The same events as the bytes of an HTTP body. */
export function anthropicBytes(events: readonly SseEvent[]): string {
  return events.map((event) => `event: ${event.event ?? ''}\ndata: ${event.data}\n\n`).join('');
}

export function messageStart(usage: Record<string, number> = { input_tokens: 25 }): SseEvent {
  return anthropicEvent({
    type: 'message_start',
    message: {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { output_tokens: 1, ...usage },
    },
  });
}

export function textStart(index: number): SseEvent {
  return anthropicEvent({
    type: 'content_block_start',
    index,
    content_block: { type: 'text', text: '' },
  });
}

export function textDelta(index: number, text: string): SseEvent {
  return anthropicEvent({
    type: 'content_block_delta',
    index,
    delta: { type: 'text_delta', text },
  });
}

export function toolStart(index: number, id: string, name: string): SseEvent {
  return anthropicEvent({
    type: 'content_block_start',
    index,
    content_block: { type: 'tool_use', id, name, input: {} },
  });
}

export function jsonDelta(index: number, partial: string): SseEvent {
  return anthropicEvent({
    type: 'content_block_delta',
    index,
    delta: { type: 'input_json_delta', partial_json: partial },
  });
}

export function blockStop(index: number): SseEvent {
  return anthropicEvent({ type: 'content_block_stop', index });
}

export function messageDelta(stopReason: string, outputTokens: number): SseEvent {
  return anthropicEvent({
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: outputTokens },
  });
}

export const ping: SseEvent = anthropicEvent({ type: 'ping' });
export const messageStop: SseEvent = anthropicEvent({ type: 'message_stop' });

export function errorEvent(type: string, message: string): SseEvent {
  return anthropicEvent({ type: 'error', error: { type, message } });
}

/** A short text answer: "Hello there". */
export const TEXT_STREAM: readonly SseEvent[] = [
  messageStart(),
  textStart(0),
  ping,
  textDelta(0, 'Hello'),
  textDelta(0, ' there'),
  blockStop(0),
  messageDelta('end_turn', 12),
  messageStop,
];

/** P08: text, then two parallel `tool_use` blocks at block indexes 1 and 2. */
export const PARALLEL_TOOLS_STREAM: readonly SseEvent[] = [
  messageStart(),
  textStart(0),
  textDelta(0, 'Checking both.'),
  blockStop(0),
  toolStart(1, 'toolu_A', 'weather'),
  jsonDelta(1, ''),
  jsonDelta(1, '{"city": '),
  jsonDelta(1, '"A"}'),
  blockStop(1),
  toolStart(2, 'toolu_B', 'weather'),
  jsonDelta(2, '{"city": '),
  jsonDelta(2, '"B"}'),
  blockStop(2),
  messageDelta('tool_use', 40),
  messageStop,
];

/** P24: lifecycle frames, then an in-band overload before any content. */
export const OVERLOADED_BEFORE_CONTENT: readonly SseEvent[] = [
  messageStart(),
  ping,
  errorEvent('overloaded_error', 'Overloaded'),
];
