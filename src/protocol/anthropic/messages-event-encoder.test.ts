import { describe, expect, it } from 'vitest';
import { RampartError, type ModelEvent } from '../../core/index.js';
import { createMessagesEventEncoder, pingEvent } from './messages-event-encoder.js';

const usage: ModelEvent = { type: 'usage', usage: { inputTokens: 20, outputTokens: 7 } };

function encodeAll(events: ModelEvent[], inputTokens?: number) {
  const encoder = createMessagesEventEncoder({ id: 'msg_1', model: 'claude-test', inputTokens });
  const out = [...events.flatMap((event) => encoder.encode(event)), ...encoder.finish()];
  return out.map((sse) => {
    const data = JSON.parse(sse.data) as Record<string, unknown>;
    // Every event names its type twice: in `event:` and in the payload.
    expect(data.type).toBe(sse.event);
    return data;
  });
}

function call(index: number, id: string, args: string[]): ModelEvent[] {
  return [
    { type: 'tool-call-start', index, id, name: 'glob' },
    ...args.map((argumentsDelta): ModelEvent => ({
      type: 'tool-call-delta',
      index,
      argumentsDelta,
    })),
    { type: 'tool-call-end', index, id, name: 'glob', arguments: args.join('') },
  ];
}

describe('createMessagesEventEncoder', () => {
  it('encodes a text answer with message_start first and usage at the end', () => {
    const out = encodeAll(
      [
        { type: 'text-delta', text: 'Hel' },
        { type: 'text-delta', text: '' },
        { type: 'text-delta', text: 'lo' },
        usage,
        { type: 'finish', reason: 'stop' },
      ],
      20,
    );
    expect(out).toEqual([
      {
        type: 'message_start',
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-test',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 20, output_tokens: 0 },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { input_tokens: 20, output_tokens: 7 },
      },
      { type: 'message_stop' },
    ]);
  });

  it('encodes a tool-only answer with no empty text block and stop_reason tool_use (P14)', () => {
    const out = encodeAll([
      ...call(0, 'call_1', ['{"pattern":', '"*.py"}']),
      usage,
      { type: 'finish', reason: 'tool-calls' },
    ]);
    expect(out.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(out[1]).toEqual({
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'tool_use', id: 'call_1', name: 'glob', input: {} },
    });
    const parts = out
      .filter((event) => event.type === 'content_block_delta')
      .map((event) => (event.delta as { partial_json: string }).partial_json);
    expect(parts.join('')).toBe('{"pattern":"*.py"}');
    expect((out[5]?.delta as { stop_reason: string }).stop_reason).toBe('tool_use');
  });

  it('says tool_use when tools were called even if the source said stop', () => {
    const out = encodeAll([...call(0, 'c', ['{}']), { type: 'finish', reason: 'stop' }]);
    expect(out.at(-2)?.delta).toEqual({ stop_reason: 'tool_use', stop_sequence: null });
  });

  it('closes the text block before a tool block and numbers blocks consecutively', () => {
    const out = encodeAll([
      { type: 'text-delta', text: 'Looking.' },
      ...call(0, 'a', ['{"x":1}']),
      ...call(1, 'b', ['{"x":2}']),
      { type: 'finish', reason: 'tool-calls' },
    ]);
    const shape = out
      .filter((event) => String(event.type).startsWith('content_block'))
      .map((event) => `${String(event.type)}@${String(event.index)}`);
    expect(shape).toEqual([
      'content_block_start@0',
      'content_block_delta@0',
      'content_block_stop@0',
      'content_block_start@1',
      'content_block_delta@1',
      'content_block_stop@1',
      'content_block_start@2',
      'content_block_delta@2',
      'content_block_stop@2',
    ]);
  });

  it('holds interleaved tool calls and text until the open block ends', () => {
    const out = encodeAll([
      { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
      { type: 'tool-call-start', index: 1, id: 'b', name: 'g' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"b":' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a":1}' },
      { type: 'text-delta', text: 'note' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '2}' },
      { type: 'tool-call-end', index: 1, id: 'b', name: 'g', arguments: '{"b":2}' },
      { type: 'tool-call-end', index: 0, id: 'a', name: 'f', arguments: '{"a":1}' },
      { type: 'finish', reason: 'tool-calls' },
    ]);
    const blocks = out.filter((event) => String(event.type).startsWith('content_block'));
    expect(blocks).toEqual([
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 'a', name: 'f', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"a":1}' },
      },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 'b', name: 'g', input: {} },
      },
      {
        type: 'content_block_delta',
        index: 1,
        delta: { type: 'input_json_delta', partial_json: '{"b":2}' },
      },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'note' } },
      { type: 'content_block_stop', index: 2 },
    ]);
  });

  it('sends argument text that only the end event carried', () => {
    const out = encodeAll([
      { type: 'tool-call-start', index: 0, id: 'a', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a"' },
      { type: 'tool-call-end', index: 0, id: 'a', name: 'f', arguments: '{"a":1}' },
      { type: 'finish', reason: 'tool-calls' },
    ]);
    const parts = out
      .filter((event) => event.type === 'content_block_delta')
      .map((event) => (event.delta as { partial_json: string }).partial_json);
    expect(parts).toEqual(['{"a"', ':1}']);
  });

  it('ends a call cut by the token limit with max_tokens and its partial text (P11)', () => {
    const out = encodeAll([
      { type: 'tool-call-start', index: 0, id: 'a', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris","units":"metr' },
      { type: 'finish', reason: 'length' },
    ]);
    expect(out.map((event) => event.type).slice(-3)).toEqual([
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(out.at(-2)?.delta).toEqual({ stop_reason: 'max_tokens', stop_sequence: null });
    expect(out[2]?.delta).toEqual({
      type: 'input_json_delta',
      partial_json: '{"city":"Paris","units":"metr',
    });
  });

  it('maps content-filter to refusal', () => {
    const out = encodeAll([{ type: 'finish', reason: 'content-filter' }]);
    expect(out.at(-2)?.delta).toEqual({ stop_reason: 'refusal', stop_sequence: null });
  });

  it('turns an error into an error event with no message_stop, and ignores what follows', () => {
    const error = new RampartError('RAMPART_UPSTREAM_UNAVAILABLE', 'Overloaded');
    const out = encodeAll([
      { type: 'text-delta', text: 'Hi' },
      { type: 'error', error, beforeContent: false },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(out.at(-1)).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    expect(out.some((event) => event.type === 'message_stop')).toBe(false);
  });

  it('treats finish with reason error as a failure', () => {
    const out = encodeAll([{ type: 'finish', reason: 'error' }]);
    expect(out.at(-1)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'The model call failed' },
    });
  });

  it('ends an unfinished stream with an error from finish(), not message_stop (P23)', () => {
    const out = encodeAll([{ type: 'text-delta', text: 'Half' }]);
    expect(out.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'error',
    ]);
  });

  it('writes a ping event', () => {
    expect(pingEvent()).toEqual({ event: 'ping', data: '{"type":"ping"}' });
  });
});
