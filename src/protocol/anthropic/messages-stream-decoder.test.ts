import { describe, expect, it } from 'vitest';
import { RampartError, type ModelEvent } from '../../core/index.js';
import { parseSseStream, type SseEvent } from '../sse/index.js';
import { decodeMessagesStream } from './messages-stream-decoder.js';
import { asyncItems } from './test-support/async-items.js';
import {
  anthropicBytes,
  anthropicEvent,
  blockStop,
  errorEvent,
  jsonDelta,
  messageDelta,
  messageStart,
  messageStop,
  OVERLOADED_BEFORE_CONTENT,
  PARALLEL_TOOLS_STREAM,
  TEXT_STREAM,
  textDelta,
  textStart,
  toolStart,
} from './test-support/anthropic-fixtures.js';

async function decode(events: Iterable<SseEvent>): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const event of decodeMessagesStream(asyncItems(events))) out.push(event);
  return out;
}

function lastError(events: ModelEvent[]) {
  const last = events.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error event, got ${last?.type}`);
  return last;
}

describe('decodeMessagesStream', () => {
  it('decodes a text answer, ignoring ping, with usage counted once', async () => {
    expect(await decode(TEXT_STREAM)).toEqual([
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ' there' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 12 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('keeps two tool_use blocks as tool calls 0 and 1 with their own ids and args (P08)', async () => {
    const bytes = new TextEncoder().encode(anthropicBytes(PARALLEL_TOOLS_STREAM));
    // Reads of 7 bytes split lines, fields and JSON everywhere, as a slow network would.
    const reads = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, index) =>
      bytes.subarray(index * 7, index * 7 + 7),
    );
    const events: ModelEvent[] = [];
    for await (const event of decodeMessagesStream(parseSseStream(asyncItems(reads))))
      events.push(event);

    expect(events).toEqual([
      { type: 'text-delta', text: 'Checking both.' },
      { type: 'tool-call-start', index: 0, id: 'toolu_A', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city": ' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"A"}' },
      {
        type: 'tool-call-end',
        index: 0,
        id: 'toolu_A',
        name: 'weather',
        arguments: '{"city": "A"}',
      },
      { type: 'tool-call-start', index: 1, id: 'toolu_B', name: 'weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city": ' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '"B"}' },
      {
        type: 'tool-call-end',
        index: 1,
        id: 'toolu_B',
        name: 'weather',
        arguments: '{"city": "B"}',
      },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 40 } },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('relays invalid JSON escapes in partial_json verbatim without failing (P10)', async () => {
    const events = await decode([
      messageStart(),
      toolStart(0, 'toolu_R', 'grep'),
      jsonDelta(0, '{"pattern": "'),
      jsonDelta(0, '\\d+\\.\\d+'),
      jsonDelta(0, '"}'),
      blockStop(0),
      messageDelta('tool_use', 9),
      messageStop,
    ]);
    expect(events.filter((event) => event.type === 'tool-call-delta')).toEqual([
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"pattern": "' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '\\d+\\.\\d+' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"}' },
    ]);
    expect(events).toContainEqual({
      type: 'tool-call-end',
      index: 0,
      id: 'toolu_R',
      name: 'grep',
      arguments: '{"pattern": "\\d+\\.\\d+"}',
    });
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('keeps the stop sequence that ended a streamed answer', async () => {
    const events = await decode([
      messageStart({ input_tokens: 5 }),
      textStart(0),
      textDelta(0, 'one, two, '),
      blockStop(0),
      anthropicEvent({
        type: 'message_delta',
        delta: { stop_reason: 'stop_sequence', stop_sequence: 'three' },
        usage: { output_tokens: 4 },
      }),
      messageStop,
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', stopSequence: 'three' });
  });

  it('takes output tokens from the last message_delta and reads cache counts', async () => {
    const events = await decode([
      messageStart({
        input_tokens: 4000,
        cache_read_input_tokens: 16000,
        cache_creation_input_tokens: 0,
      }),
      textStart(0),
      textDelta(0, 'x'),
      anthropicEvent({
        type: 'message_delta',
        delta: { stop_reason: null },
        usage: { output_tokens: 300 },
      }),
      anthropicEvent({
        type: 'message_delta',
        delta: { stop_reason: 'max_tokens' },
        usage: { output_tokens: 900, cache_creation_input_tokens: 120 },
      }),
      messageStop,
    ]);
    expect(events.slice(-2)).toEqual([
      {
        type: 'usage',
        usage: {
          inputTokens: 4000,
          outputTokens: 900,
          cachedInputTokens: 16000,
          cacheWriteInputTokens: 120,
        },
      },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('maps an in-band overload before content to a retryable error with beforeContent (P24)', async () => {
    const events = await decode(OVERLOADED_BEFORE_CONTENT);
    expect(events).toHaveLength(2);
    expect(events[0]).toEqual({ type: 'usage', usage: { inputTokens: 25, outputTokens: 1 } });
    const { error, beforeContent } = lastError(events);
    expect(beforeContent).toBe(true);
    expect(error.code).toBe('RAMPART_UPSTREAM_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe('Upstream error: overloaded_error');
    expect(error.upstreamText).toContain('Overloaded');
  });

  it.each([
    ['rate_limit_error', 'RAMPART_UPSTREAM_RATE_LIMITED'],
    ['api_error', 'RAMPART_UPSTREAM_ERROR'],
    ['invalid_request_error', 'RAMPART_UPSTREAM_ERROR'],
  ])('maps an in-band %s after content to %s with beforeContent false', async (type, code) => {
    const events = await decode([
      messageStart(),
      textStart(0),
      textDelta(0, 'Hi'),
      errorEvent(type, 'no'),
    ]);
    const { error, beforeContent } = lastError(events);
    expect(error.code).toBe(code);
    expect(beforeContent).toBe(false);
  });

  it('counts a started tool call as content', async () => {
    const events = await decode([
      messageStart(),
      toolStart(0, 't', 'f'),
      errorEvent('api_error', 'x'),
    ]);
    expect(lastError(events).beforeContent).toBe(false);
  });

  it('reports a stream that ends without message_stop as truncated, never finish (P23)', async () => {
    const events = await decode([messageStart(), textStart(0), textDelta(0, 'Half an ans')]);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
    const { error, beforeContent } = lastError(events);
    expect(error.code).toBe('RAMPART_UPSTREAM_STREAM_TRUNCATED');
    expect(beforeContent).toBe(false);
    expect(events).toContainEqual({ type: 'usage', usage: { inputTokens: 25, outputTokens: 1 } });
  });

  it('reports an empty stream as truncated before content', async () => {
    const events = await decode([]);
    expect(events).toHaveLength(1);
    expect(lastError(events).beforeContent).toBe(true);
  });

  it('skips data that is not JSON and events it does not know', async () => {
    const events = await decode([
      messageStart(),
      { data: ': keepalive' },
      { event: 'message_delta', data: '{"type":"message_delta",' },
      anthropicEvent({ type: 'some_future_event', detail: 1 }),
      textStart(0),
      anthropicEvent({ type: 'content_block_delta', index: 0, delta: { type: 'citations_delta' } }),
      textDelta(0, 'ok'),
      blockStop(0),
      messageDelta('end_turn', 2),
      messageStop,
    ]);
    expect(events).toEqual([
      { type: 'text-delta', text: 'ok' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 2 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('turns a failing source into an error event, keeping a RampartError code', async () => {
    async function* failing(): AsyncIterable<SseEvent> {
      yield* asyncItems([messageStart(), textStart(0), textDelta(0, 'part')]);
      throw new RampartError('RAMPART_UPSTREAM_TIMEOUT', 'idle');
    }
    const events: ModelEvent[] = [];
    for await (const event of decodeMessagesStream(failing())) events.push(event);
    const { error, beforeContent } = lastError(events);
    expect(error.code).toBe('RAMPART_UPSTREAM_TIMEOUT');
    expect(beforeContent).toBe(false);
  });

  it('stops reading the source after message_stop', async () => {
    let pulled = 0;
    async function* counted(): AsyncIterable<SseEvent> {
      for await (const event of asyncItems([...TEXT_STREAM, textDelta(0, 'late')])) {
        pulled += 1;
        yield event;
      }
    }
    const events: ModelEvent[] = [];
    for await (const event of decodeMessagesStream(counted())) events.push(event);
    expect(pulled).toBe(TEXT_STREAM.length);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('reports a tool_use block whose input came whole at block start', async () => {
    const events = await decode([
      messageStart(),
      anthropicEvent({
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't', name: 'f', input: { a: 1 } },
      }),
      blockStop(0),
      messageDelta('tool_use', 3),
      messageStop,
    ]);
    expect(events.slice(0, 3)).toEqual([
      { type: 'tool-call-start', index: 0, id: 't', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":1}' },
      { type: 'tool-call-end', index: 0, id: 't', name: 'f', arguments: '{"a":1}' },
    ]);
  });

  it('ends with a bad response for a tool_use input nested 5,000 levels deep', async () => {
    const deep = '{"a":'.repeat(4999) + '{}' + '}'.repeat(4999);
    const block = `{"type":"tool_use","id":"toolu_1","name":"f","input":${deep}}`;
    const start = `{"type":"content_block_start","index":1,"content_block":${block}}`;
    const events = await decode([
      messageStart(),
      textStart(0),
      textDelta(0, 'Hi'),
      blockStop(0),
      { event: 'content_block_start', data: start },
      blockStop(1),
      messageStop,
    ]);
    const last = lastError(events);
    expect(last.error.code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
    expect(last.beforeContent).toBe(false);
    expect(events.some((event) => event.type === 'tool-call-start')).toBe(false);
  });
});
