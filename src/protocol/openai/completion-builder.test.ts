import { describe, expect, it } from 'vitest';

import { RampartError, type CollectedResponse } from '../../core/index.js';
import { buildChatCompletion } from './completion-builder.js';

const identity = { id: 'chatcmpl-1', model: 'gpt-test', created: 1_700_000_000 };

const collected = (overrides: Partial<CollectedResponse>): CollectedResponse => ({
  text: '',
  toolCalls: [],
  usage: undefined,
  finishReason: 'stop',
  error: undefined,
  ...overrides,
});

describe('buildChatCompletion', () => {
  it('builds a text completion with usage', () => {
    const completion = buildChatCompletion(
      identity,
      collected({ text: 'Hi!', usage: { inputTokens: 5, outputTokens: 2, cachedInputTokens: 3 } }),
    );
    expect(completion).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-test',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi!', refusal: null },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 8,
        completion_tokens: 2,
        total_tokens: 10,
        prompt_tokens_details: { cached_tokens: 3 },
      },
    });
  });

  it('gives content null when the answer is only tool calls', () => {
    const completion = buildChatCompletion(
      identity,
      collected({
        toolCalls: [{ id: 'c1', name: 'f', arguments: '{"a":' }],
        finishReason: 'length',
      }),
    );
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":' } }],
        },
        logprobs: null,
        finish_reason: 'length',
      },
    ]);
    expect(completion).not.toHaveProperty('usage');
  });

  it('refuses to build a completion from a failed response', () => {
    const error = new RampartError('RAMPART_UPSTREAM_TIMEOUT', 'idle');
    expect(() =>
      buildChatCompletion(identity, collected({ finishReason: 'error', error })),
    ).toThrow(error);
    expect(() => buildChatCompletion(identity, collected({ finishReason: 'error' }))).toThrow(
      /failed response/,
    );
  });
});
