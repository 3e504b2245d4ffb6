import { describe, expect, it } from 'vitest';
import type { CollectedResponse } from '../../core/index.js';
import { buildMessage } from './build-message.js';

const ids = { id: 'msg_1', model: 'claude-test' };

function collected(partial: Partial<CollectedResponse>): CollectedResponse {
  return {
    text: '',
    toolCalls: [],
    usage: { inputTokens: 10, outputTokens: 5 },
    finishReason: 'stop',
    error: undefined,
    ...partial,
  };
}

describe('buildMessage', () => {
  it('builds a text message with end_turn and usage', () => {
    expect(buildMessage(ids, collected({ text: 'Hello' }))).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [{ type: 'text', text: 'Hello' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5 },
    });
  });

  it('gives a tool-only answer only tool_use blocks with parsed input (P14)', () => {
    const message = buildMessage(
      ids,
      collected({
        toolCalls: [{ id: 'call_1', name: 'glob', arguments: '{"pattern":"*.py"}' }],
        finishReason: 'tool-calls',
        usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 3, cacheWriteInputTokens: 2 },
      }),
    );
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'call_1', name: 'glob', input: { pattern: '*.py' } },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toEqual({
      input_tokens: 10,
      output_tokens: 5,
      cache_read_input_tokens: 3,
      cache_creation_input_tokens: 2,
    });
  });

  it('gives max_tokens and no made-up input for a call cut by the limit (P11)', () => {
    const message = buildMessage(
      ids,
      collected({
        text: 'Let me check.',
        toolCalls: [{ id: 'c', name: 'weather', arguments: '{"city":"Paris","units":"metr' }],
        finishReason: 'length',
      }),
    );
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.content).toEqual([{ type: 'text', text: 'Let me check.' }]);
  });

  it('does not claim tool_use when no call could be represented', () => {
    const message = buildMessage(
      ids,
      collected({
        toolCalls: [{ id: 'c', name: 'f', arguments: '{}""' }],
        finishReason: 'tool-calls',
      }),
    );
    expect(message.content).toEqual([]);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('reports zero usage when none was collected', () => {
    expect(buildMessage(ids, collected({ usage: undefined })).usage).toEqual({
      input_tokens: 0,
      output_tokens: 0,
    });
  });

  it('leaves out a call whose argument text nests 5,000 levels deep', () => {
    const deep = '{"a":'.repeat(4999) + '{}' + '}'.repeat(4999);
    const message = buildMessage(
      ids,
      collected({
        toolCalls: [
          { id: 'deep', name: 'f', arguments: deep },
          { id: 'flat', name: 'f', arguments: '{"a":{}}' },
        ],
        finishReason: 'tool-calls',
      }),
    );
    expect(message.content).toEqual([
      { type: 'tool_use', id: 'flat', name: 'f', input: { a: {} } },
    ]);
    expect(() => JSON.stringify(message)).not.toThrow();
  });
});
