import { describe, expect, it } from 'vitest';

import { RampartError, type ModelEvent } from '../../core/index.js';
import type { SseEvent } from '../sse/index.js';
import { decodeChatCompletionStream } from './stream-decoder.js';

const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm' };

function chunk(delta: unknown, finishReason: string | null = null): string {
  return JSON.stringify({ ...head, choices: [{ index: 0, delta, finish_reason: finishReason }] });
}

function usageChunk(usage: unknown): string {
  return JSON.stringify({ ...head, choices: [], usage });
}

const call = (index: number, id: string | undefined, name: string | undefined, args: string) => ({
  index,
  ...(id === undefined ? {} : { id, type: 'function' }),
  function: { ...(name === undefined ? {} : { name }), arguments: args },
});

async function* sse(payloads: readonly string[], failure?: Error): AsyncGenerator<SseEvent> {
  for (const data of payloads) yield await Promise.resolve({ data });
  if (failure) throw failure;
}

async function decode(payloads: readonly string[], failure?: Error): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of decodeChatCompletionStream(sse(payloads, failure))) events.push(event);
  return events;
}

/** Error events as plain values, for equality checks. */
function plain(events: ModelEvent[]) {
  return events.map((event) =>
    event.type === 'error'
      ? { type: 'error', code: event.error.code, beforeContent: event.beforeContent }
      : event,
  );
}

describe('decodeChatCompletionStream', () => {
  it('decodes a text answer with usage', async () => {
    const events = await decode([
      chunk({ role: 'assistant', content: '' }),
      chunk({ content: 'Hello' }),
      chunk({ content: ' world' }),
      chunk({}, 'stop'),
      usageChunk({
        prompt_tokens: 20000,
        completion_tokens: 900,
        total_tokens: 20900,
        prompt_tokens_details: { cached_tokens: 16000 },
      }),
      '[DONE]',
    ]);
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ' world' },
      { type: 'usage', usage: { inputTokens: 4000, outputTokens: 900, cachedInputTokens: 16000 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('clamps the full-price input at zero when cached exceeds prompt tokens', async () => {
    const events = await decode([
      chunk({}, 'stop'),
      usageChunk({
        prompt_tokens: 10,
        completion_tokens: 1,
        prompt_tokens_details: { cached_tokens: 12 },
      }),
      '[DONE]',
    ]);
    expect(events[0]).toEqual({
      type: 'usage',
      usage: { inputTokens: 0, outputTokens: 1, cachedInputTokens: 12 },
    });
  });

  it('assembles interleaved parallel tool calls by index', async () => {
    const events = await decode([
      chunk({ role: 'assistant', content: null, tool_calls: [call(0, 'call_A', 'weather', '')] }),
      chunk({ tool_calls: [call(0, undefined, undefined, '{"city":')] }),
      chunk({ tool_calls: [call(1, 'call_B', 'time', '{"tz"')] }),
      chunk({ tool_calls: [call(0, undefined, undefined, '"A"}')] }),
      chunk({ tool_calls: [call(1, undefined, undefined, ':"UTC"}')] }),
      chunk({}, 'tool_calls'),
      '[DONE]',
    ]);
    expect(events).toEqual([
      { type: 'tool-call-start', index: 0, id: 'call_A', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-start', index: 1, id: 'call_B', name: 'time' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"tz"' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"A"}' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: ':"UTC"}' },
      { type: 'tool-call-end', index: 0, id: 'call_A', name: 'weather', arguments: '{"city":"A"}' },
      { type: 'tool-call-end', index: 1, id: 'call_B', name: 'time', arguments: '{"tz":"UTC"}' },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('P08: a new id at an already used index starts a new call', async () => {
    const events = await decode([
      chunk({ tool_calls: [call(0, 'toolu_A', 'weather', '')] }),
      chunk({ tool_calls: [call(0, undefined, undefined, '{"city": ')] }),
      chunk({ tool_calls: [call(0, undefined, undefined, '"A"}')] }),
      chunk({ tool_calls: [call(0, 'toolu_B', 'weather', '')] }),
      chunk({ tool_calls: [call(0, undefined, undefined, '{"city": "B"}')] }),
      chunk({}, 'tool_calls'),
      '[DONE]',
    ]);
    const ends = events.filter((event) => event.type === 'tool-call-end');
    expect(ends).toEqual([
      {
        type: 'tool-call-end',
        index: 0,
        id: 'toolu_A',
        name: 'weather',
        arguments: '{"city": "A"}',
      },
      {
        type: 'tool-call-end',
        index: 1,
        id: 'toolu_B',
        name: 'weather',
        arguments: '{"city": "B"}',
      },
    ]);
  });

  it('does not join a name or id that a server repeats on every fragment', async () => {
    const events = await decode([
      chunk({ tool_calls: [call(0, 'c1', 'search', '{"q":')] }),
      chunk({ tool_calls: [call(0, 'c1', 'search', '"x"}')] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(events.at(-2)).toEqual({
      type: 'tool-call-end',
      index: 0,
      id: 'c1',
      name: 'search',
      arguments: '{"q":"x"}',
    });
  });

  it('P10: keeps arguments with an invalid JSON escape verbatim', async () => {
    const events = await decode([
      chunk({ tool_calls: [call(0, 'c1', 'grep', '{"pattern": "')] }),
      chunk({ tool_calls: [call(0, undefined, undefined, '\\d+\\.\\d+')] }),
      chunk({ tool_calls: [call(0, undefined, undefined, '"}')] }),
      chunk({}, 'tool_calls'),
    ]);
    const end = events.find((event) => event.type === 'tool-call-end');
    expect(end).toMatchObject({ arguments: '{"pattern": "\\d+\\.\\d+"}' });
  });

  it('P11: keeps arguments cut by max_tokens and finishes with length', async () => {
    const events = await decode([
      chunk({ tool_calls: [call(0, 'c1', 'weather', '{"city":"Paris",')] }),
      chunk({ tool_calls: [call(0, undefined, undefined, '"units":"metr')] }),
      chunk({}, 'length'),
      '[DONE]',
    ]);
    expect(events.slice(-2)).toEqual([
      {
        type: 'tool-call-end',
        index: 0,
        id: 'c1',
        name: 'weather',
        arguments: '{"city":"Paris","units":"metr',
      },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('P11: assembles "", "{}" and "\\"\\"" verbatim to {}""', async () => {
    const events = await decode([
      chunk({ tool_calls: [call(0, 'c1', 'f', '')] }),
      chunk({ tool_calls: [call(0, undefined, undefined, '{}')] }),
      chunk({ tool_calls: [call(0, undefined, undefined, '""')] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(events).toEqual([
      { type: 'tool-call-start', index: 0, id: 'c1', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{}' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '""' },
      { type: 'tool-call-end', index: 0, id: 'c1', name: 'f', arguments: '{}""' },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('finishes as tool-calls when a server says stop after calling a tool', async () => {
    const events = await decode([
      chunk({ tool_calls: [call(0, 'c1', 'f', '{}')] }),
      chunk({}, 'stop'),
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('holds argument text that arrives before the name, and makes up a missing id', async () => {
    const events = await decode([
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { name: 'f', arguments: ':1}' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    const [start, delta] = events;
    expect(start).toMatchObject({ type: 'tool-call-start', index: 0, name: 'f' });
    expect(start?.type === 'tool-call-start' && start.id).toMatch(/^call_[0-9a-f]{32}$/);
    expect(delta).toEqual({ type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":1}' });
  });

  it('P03: recognises [DONE] with surrounding space and ends with finish', async () => {
    const events = await decode([chunk({ content: 'Hello' }), chunk({}, 'stop'), ' [DONE] ']);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('P04: skips a payload that is neither JSON nor [DONE]', async () => {
    const skipped: string[] = [];
    const stream = decodeChatCompletionStream(
      sse([': keepalive', chunk({ content: 'Hi' }), 'not json', chunk({}, 'stop'), '[DONE]']),
      { onSkippedPayload: (data) => skipped.push(data) },
    );
    const events: ModelEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hi' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(skipped).toEqual([': keepalive', 'not json']);
  });

  it('P23: a stream cut after content ends with a truncated error, not a finish', async () => {
    const events = await decode([chunk({ role: 'assistant' }), chunk({ content: 'Half' })]);
    expect(plain(events)).toEqual([
      { type: 'text-delta', text: 'Half' },
      { type: 'error', code: 'RAMPART_UPSTREAM_STREAM_TRUNCATED', beforeContent: false },
    ]);
  });

  it('P23: a stream cut before content says so in beforeContent', async () => {
    const events = await decode([chunk({ role: 'assistant', content: '' })]);
    expect(plain(events)).toEqual([
      { type: 'error', code: 'RAMPART_UPSTREAM_STREAM_TRUNCATED', beforeContent: true },
    ]);
  });

  it('does not end open tool calls of a truncated stream', async () => {
    const events = await decode([chunk({ tool_calls: [call(0, 'c1', 'f', '{"a":')] })]);
    expect(plain(events)).toEqual([
      { type: 'tool-call-start', index: 0, id: 'c1', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":' },
      { type: 'error', code: 'RAMPART_UPSTREAM_STREAM_TRUNCATED', beforeContent: false },
    ]);
  });

  it('finishes on [DONE] even without a finish_reason', async () => {
    const events = await decode([chunk({ tool_calls: [call(0, 'c1', 'f', '{}')] }), '[DONE]']);
    expect(events.slice(-2)).toEqual([
      { type: 'tool-call-end', index: 0, id: 'c1', name: 'f', arguments: '{}' },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it('keeps a finished answer whole when only the usage chunk is lost', async () => {
    const cut = new RampartError('RAMPART_UPSTREAM_STREAM_TRUNCATED', 'cut');
    const events = await decode([chunk({ content: 'Done.' }), chunk({}, 'stop')], cut);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('turns a failure reading the stream into an error event, with usage first', async () => {
    const timeout = new RampartError('RAMPART_UPSTREAM_TIMEOUT', 'idle');
    const events = await decode(
      [
        chunk({ content: 'Hi' }),
        JSON.stringify({ ...head, choices: [], usage: { prompt_tokens: 3, completion_tokens: 1 } }),
      ],
      timeout,
    );
    expect(plain(events)).toEqual([
      { type: 'text-delta', text: 'Hi' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 1 } },
      { type: 'error', code: 'RAMPART_UPSTREAM_TIMEOUT', beforeContent: false },
    ]);
  });

  it('wraps a non-Rampart failure as an upstream error', async () => {
    const events = await decode([], new Error('socket hang up'));
    expect(plain(events)).toEqual([
      { type: 'error', code: 'RAMPART_UPSTREAM_ERROR', beforeContent: true },
    ]);
  });

  it.each([
    [
      { message: 'Rate limit reached', type: 'rate_limit_exceeded' },
      'RAMPART_UPSTREAM_RATE_LIMITED',
    ],
    [{ message: 'Too many', code: 429 }, 'RAMPART_UPSTREAM_RATE_LIMITED'],
    [{ message: 'Overloaded', type: 'overloaded_error' }, 'RAMPART_UPSTREAM_UNAVAILABLE'],
    [{ message: 'The server had an error', type: 'server_error' }, 'RAMPART_UPSTREAM_UNAVAILABLE'],
    [{ message: 'Bad things', type: 'invalid_request_error' }, 'RAMPART_UPSTREAM_ERROR'],
    ['plain string error', 'RAMPART_UPSTREAM_ERROR'],
  ])('maps an in-band error %j to %s and stops', async (error, code) => {
    const events = await decode([
      chunk({ content: 'Hi' }),
      JSON.stringify({ error }),
      chunk({ content: 'never' }),
    ]);
    expect(plain(events)).toEqual([
      { type: 'text-delta', text: 'Hi' },
      { type: 'error', code, beforeContent: false },
    ]);
    const last = events.at(-1);
    const message = typeof error === 'string' ? error : error.message;
    // The provider's words are kept apart from the message (they may echo the request).
    expect(last?.type === 'error' && last.error.message).toBe('Upstream error');
    expect(last?.type === 'error' && last.error.upstreamText).toBe(message);
  });

  it('ignores choices other than index 0 and deltas after the finish_reason', async () => {
    const other = JSON.stringify({ ...head, choices: [{ index: 1, delta: { content: 'B' } }] });
    const events = await decode([
      other,
      chunk({ content: 'A' }),
      chunk({}, 'stop'),
      chunk({ content: 'late' }),
    ]);
    expect(events).toEqual([
      { type: 'text-delta', text: 'A' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('stops reading at [DONE]', async () => {
    let readAfterDone = false;
    async function* source(): AsyncGenerator<SseEvent> {
      for (const data of [chunk({}, 'stop'), '[DONE]']) yield await Promise.resolve({ data });
      readAfterDone = true;
      yield { data: chunk({ content: 'x' }) };
    }
    const events: ModelEvent[] = [];
    for await (const event of decodeChatCompletionStream(source())) events.push(event);
    expect(events).toEqual([{ type: 'finish', reason: 'stop' }]);
    expect(readAfterDone).toBe(false);
  });

  /** A chunk whose one tool call carries its arguments as a JSON object, not as text. */
  function objectArgumentsChunk(argumentsJson: string): string {
    const fn = `{"name":"f","arguments":${argumentsJson}}`;
    const call = `{"index":0,"id":"c1","type":"function","function":${fn}}`;
    return `{"choices":[{"index":0,"delta":{"tool_calls":[${call}]},"finish_reason":null}]}`;
  }

  it('serialises arguments sent as an object once', async () => {
    const events = await decode([objectArgumentsChunk('{"x":[1]}'), chunk({}, 'tool_calls')]);
    expect(events.at(-2)).toEqual({
      type: 'tool-call-end',
      index: 0,
      id: 'c1',
      name: 'f',
      arguments: '{"x":[1]}',
    });
  });

  it('ends with a bad response for object arguments nested 5,000 levels deep', async () => {
    const deep = '{"a":'.repeat(4999) + '{}' + '}'.repeat(4999);
    const events = await decode([chunk({ content: 'Hi' }), objectArgumentsChunk(deep)]);
    expect(plain(events)).toEqual([
      { type: 'text-delta', text: 'Hi' },
      { type: 'error', code: 'RAMPART_UPSTREAM_BAD_RESPONSE', beforeContent: false },
    ]);
  });
});
