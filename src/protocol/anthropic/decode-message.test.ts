import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode-message.js';

describe('decodeMessage', () => {
  it('decodes text and two tool_use blocks into numbered calls, usage and finish', () => {
    const events = decodeMessage({
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [
        { type: 'text', text: 'Checking.' },
        { type: 'tool_use', id: 'toolu_A', name: 'weather', input: { city: 'A' } },
        { type: 'thinking', thinking: 'ignored' },
        { type: 'tool_use', id: 'toolu_B', name: 'weather', input: { city: 'B' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 30, output_tokens: 50, cache_read_input_tokens: 10 },
    });
    expect(events).toEqual([
      { type: 'text-delta', text: 'Checking.' },
      { type: 'tool-call-start', index: 0, id: 'toolu_A', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"A"}' },
      {
        type: 'tool-call-end',
        index: 0,
        id: 'toolu_A',
        name: 'weather',
        arguments: '{"city":"A"}',
      },
      { type: 'tool-call-start', index: 1, id: 'toolu_B', name: 'weather' },
      { type: 'tool-call-delta', index: 1, argumentsDelta: '{"city":"B"}' },
      {
        type: 'tool-call-end',
        index: 1,
        id: 'toolu_B',
        name: 'weather',
        arguments: '{"city":"B"}',
      },
      { type: 'usage', usage: { inputTokens: 30, outputTokens: 50, cachedInputTokens: 10 } },
      { type: 'finish', reason: 'tool-calls' },
    ]);
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['refusal', 'content-filter'],
    [null, 'stop'],
  ])('maps stop_reason %s to %s', (stopReason, reason) => {
    const events = decodeMessage({ content: [], stop_reason: stopReason });
    expect(events).toEqual([{ type: 'finish', reason }]);
  });

  it('keeps the stop sequence that ended the answer, and only then', () => {
    const message = (stop_reason: string, stop_sequence: unknown) => ({
      id: 'msg_02',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [{ type: 'text', text: 'one, two' }],
      stop_reason,
      stop_sequence,
      usage: { input_tokens: 3, output_tokens: 4 },
    });
    expect(decodeMessage(message('stop_sequence', 'three')).at(-1)).toEqual({
      type: 'finish',
      reason: 'stop',
      stopSequence: 'three',
    });
    expect(decodeMessage(message('end_turn', 'three')).at(-1)).toEqual({
      type: 'finish',
      reason: 'stop',
    });
    expect(decodeMessage(message('stop_sequence', 42)).at(-1)).toEqual({
      type: 'finish',
      reason: 'stop',
    });
  });

  it('decodes an error body into an error event', () => {
    const [event] = decodeMessage({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    expect(event?.type).toBe('error');
    if (event?.type !== 'error') return;
    expect(event.error.code).toBe('RAMPART_UPSTREAM_UNAVAILABLE');
    expect(event.beforeContent).toBe(true);
  });

  it.each([null, 'text', [], { content: 'not blocks' }])('reports %j as a bad response', (json) => {
    const [event] = decodeMessage(json);
    expect(event?.type === 'error' && event.error.code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
  });

  it('reports a tool_use input nested 5,000 levels deep as a bad response', () => {
    const deep = '{"a":'.repeat(4999) + '{}' + '}'.repeat(4999);
    const block = `{"type":"tool_use","id":"toolu_1","name":"f","input":${deep}}`;
    const json: unknown = JSON.parse(`{"type":"message","content":[${block}]}`);
    const events = decodeMessage(json);
    expect(events).toHaveLength(1);
    expect(events[0]?.type === 'error' && events[0].error.code).toBe(
      'RAMPART_UPSTREAM_BAD_RESPONSE',
    );
  });
});
