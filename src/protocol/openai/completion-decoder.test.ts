import { describe, expect, it } from 'vitest';

import { decodeChatCompletion } from './completion-decoder.js';

const completion = (message: unknown, finishReason: string | null, usage?: unknown) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message, finish_reason: finishReason }],
  ...(usage === undefined ? {} : { usage }),
});

describe('decodeChatCompletion', () => {
  it('decodes text, usage and finish', () => {
    const events = decodeChatCompletion(
      completion({ role: 'assistant', content: 'Hello' }, 'stop', {
        prompt_tokens: 12,
        completion_tokens: 3,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 0 },
      }),
    );
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hello' },
      { type: 'usage', usage: { inputTokens: 12, outputTokens: 3 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('P11: decodes tool calls with truncated arguments unchanged', () => {
    const events = decodeChatCompletion(
      completion(
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'c1',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Paris","units":"metr' },
            },
            { id: 'c2', type: 'function', function: { name: 'noop', arguments: '' } },
          ],
        },
        'length',
      ),
    );
    expect(events).toEqual([
      { type: 'tool-call-start', index: 0, id: 'c1', name: 'weather' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"Paris","units":"metr' },
      { type: 'tool-call-start', index: 1, id: 'c2', name: 'noop' },
      {
        type: 'tool-call-end',
        index: 0,
        id: 'c1',
        name: 'weather',
        arguments: '{"city":"Paris","units":"metr',
      },
      { type: 'tool-call-end', index: 1, id: 'c2', name: 'noop', arguments: '' },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('turns an error body into one error event', () => {
    const [event] = decodeChatCompletion({
      error: { message: 'Overloaded', type: 'overloaded_error' },
    });
    expect(event?.type === 'error' && [event.error.code, event.beforeContent]).toEqual([
      'RAMPART_UPSTREAM_UNAVAILABLE',
      true,
    ]);
  });

  it('reports a body without a choice as a bad response', () => {
    for (const body of [{ choices: [] }, 'text', null]) {
      const [event] = decodeChatCompletion(body);
      expect(event?.type === 'error' && event.error.code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
    }
  });

  it('reports object arguments nested 5,000 levels deep as a bad response', () => {
    const deep = '{"a":'.repeat(4999) + '{}' + '}'.repeat(4999);
    const call = `{"id":"c1","type":"function","function":{"name":"f","arguments":${deep}}}`;
    const body: unknown = JSON.parse(
      `{"choices":[{"index":0,"message":{"role":"assistant","tool_calls":[${call}]}}]}`,
    );
    const events = decodeChatCompletion(body);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type === 'error' && [event.error.code, event.beforeContent]).toEqual([
      'RAMPART_UPSTREAM_BAD_RESPONSE',
      true,
    ]);
  });
});
