import { describe, expect, it } from 'vitest';

import { RampartError, type ModelEvent } from '../../core/index.js';
import { createChatChunkEncoder, type ChatChunkEncoderOptions } from './chunk-encoder.js';

const identity = { id: 'chatcmpl-1', model: 'gpt-test', created: 1_700_000_000 };
const head = { ...identity, object: 'chat.completion.chunk' };

function encodeAll(events: ModelEvent[], options: Partial<ChatChunkEncoderOptions> = {}) {
  const encoder = createChatChunkEncoder({ ...identity, includeUsage: false, ...options });
  const payloads = events.flatMap((event) => encoder.encode(event));
  return [...payloads, ...encoder.finish()];
}

const parse = (payloads: string[]) =>
  payloads.map((payload) => (payload === '[DONE]' ? payload : (JSON.parse(payload) as unknown)));

const choice = (delta: unknown, finishReason: string | null = null) => ({
  index: 0,
  delta,
  logprobs: null,
  finish_reason: finishReason,
});

const usage = { inputTokens: 4000, outputTokens: 900, cachedInputTokens: 16000 };

describe('createChatChunkEncoder', () => {
  it('streams text with the role on the first chunk only, then finish and [DONE]', () => {
    const payloads = encodeAll([
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: '' },
      { type: 'text-delta', text: 'lo' },
      { type: 'usage', usage },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(parse(payloads)).toEqual([
      { ...head, choices: [choice({ role: 'assistant', content: 'Hel' })] },
      { ...head, choices: [choice({ content: 'lo' })] },
      { ...head, choices: [choice({}, 'stop')] },
      '[DONE]',
    ]);
  });

  it('P21a: with include_usage, every chunk has usage null and a last usage-only chunk', () => {
    const payloads = encodeAll(
      [
        { type: 'text-delta', text: 'Hi' },
        { type: 'usage', usage },
        { type: 'finish', reason: 'length' },
      ],
      { includeUsage: true },
    );
    expect(parse(payloads)).toEqual([
      { ...head, choices: [choice({ role: 'assistant', content: 'Hi' })], usage: null },
      { ...head, choices: [choice({}, 'length')], usage: null },
      {
        ...head,
        choices: [],
        usage: {
          prompt_tokens: 20000,
          completion_tokens: 900,
          total_tokens: 20900,
          prompt_tokens_details: { cached_tokens: 16000 },
        },
      },
      '[DONE]',
    ]);
  });

  it('P21b: without include_usage, sends no usage field and no usage-only chunk', () => {
    const payloads = encodeAll([
      { type: 'text-delta', text: 'Hi' },
      { type: 'usage', usage },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(payloads).toHaveLength(3);
    for (const payload of payloads.slice(0, 2)) expect(payload).not.toContain('usage');
  });

  it('streams parallel tool calls by index, id and name first, then argument fragments', () => {
    const payloads = encodeAll([
      { type: 'tool-call-start', index: 0, id: 'call_A', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":' },
      { type: 'tool-call-start', index: 1, id: 'call_B', name: 'weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"B"}' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '"A"}' },
      { type: 'tool-call-end', index: 0, id: 'call_A', name: 'weather', arguments: '{"city":"A"}' },
      { type: 'tool-call-end', index: 1, id: 'call_B', name: 'weather', arguments: '{"city":"B"}' },
      { type: 'finish', reason: 'tool-calls' },
    ]);
    const start = (index: number, id: string) => ({
      index,
      id,
      type: 'function',
      function: { name: 'weather', arguments: '' },
    });
    const fragment = (index: number, text: string) => ({ index, function: { arguments: text } });
    expect(parse(payloads)).toEqual([
      {
        ...head,
        choices: [choice({ role: 'assistant', content: null, tool_calls: [start(0, 'call_A')] })],
      },
      { ...head, choices: [choice({ tool_calls: [fragment(0, '{"city":')] })] },
      { ...head, choices: [choice({ tool_calls: [start(1, 'call_B')] })] },
      { ...head, choices: [choice({ tool_calls: [fragment(1, '{"city":"B"}')] })] },
      { ...head, choices: [choice({ tool_calls: [fragment(0, '"A"}')] })] },
      { ...head, choices: [choice({}, 'tool_calls')] },
      '[DONE]',
    ]);
  });

  it('sends the arguments a tool-call-end carries beyond its deltas', () => {
    const payloads = encodeAll([
      { type: 'tool-call-start', index: 0, id: 'c1', name: 'f' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"a"' },
      { type: 'tool-call-end', index: 0, id: 'c1', name: 'f', arguments: '{"a":1}' },
      { type: 'tool-call-end', index: 1, id: 'c2', name: 'g', arguments: '{}' },
      { type: 'finish', reason: 'tool-calls' },
    ]);
    const deltas = parse(payloads).slice(0, -2) as { choices: { delta: unknown }[] }[];
    expect(deltas.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { index: 0, id: 'c1', type: 'function', function: { name: 'f', arguments: '' } },
        ],
      },
      { tool_calls: [{ index: 0, function: { arguments: '{"a"' } }] },
      { tool_calls: [{ index: 0, function: { arguments: ':1}' } }] },
      {
        tool_calls: [
          { index: 1, id: 'c2', type: 'function', function: { name: 'g', arguments: '{}' } },
        ],
      },
    ]);
  });

  it('P23: an error after content is one error payload, with no finish_reason and no [DONE]', () => {
    const error = new RampartError('RAMPART_UPSTREAM_STREAM_TRUNCATED', 'Upstream stream ended');
    const payloads = encodeAll([
      { type: 'text-delta', text: 'Half an ans' },
      { type: 'error', error, beforeContent: false },
      { type: 'text-delta', text: 'more' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(parse(payloads)).toEqual([
      { ...head, choices: [choice({ role: 'assistant', content: 'Half an ans' })] },
      {
        error: {
          message: 'Upstream stream ended',
          type: 'server_error',
          code: 'RAMPART_UPSTREAM_STREAM_TRUNCATED',
          param: null,
        },
      },
    ]);
  });

  it('never ends a stream that had no finish event as if it were complete', () => {
    const payloads = encodeAll([{ type: 'text-delta', text: 'Hi' }]);
    expect(payloads).not.toContain('[DONE]');
    expect(JSON.parse(payloads[1]!)).toMatchObject({
      error: { code: 'RAMPART_UPSTREAM_STREAM_TRUNCATED' },
    });
  });

  it('gives the role to a finish chunk when nothing came before it', () => {
    const payloads = encodeAll([{ type: 'finish', reason: 'content-filter' }]);
    expect(parse(payloads)).toEqual([
      { ...head, choices: [choice({ role: 'assistant', content: '' }, 'content_filter')] },
      '[DONE]',
    ]);
  });

  it('sends no usage-only chunk when no usage was reported', () => {
    const payloads = encodeAll([{ type: 'finish', reason: 'stop' }], { includeUsage: true });
    expect(payloads).toHaveLength(2);
    expect(payloads[1]).toBe('[DONE]');
  });

  it('ignores events after finish', () => {
    const encoder = createChatChunkEncoder({ ...identity, includeUsage: false });
    encoder.encode({ type: 'finish', reason: 'stop' });
    expect(encoder.encode({ type: 'text-delta', text: 'late' })).toEqual([]);
  });
});
