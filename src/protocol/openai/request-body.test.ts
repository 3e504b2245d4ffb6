import { describe, expect, it } from 'vitest';

import type { ModelRequest } from '../../core/index.js';
import { parseChatCompletionRequest } from './parse-request.js';
import { toChatCompletionBody } from './request-body.js';

const call = { id: 'call_1', name: 'weather', arguments: '{"city":"Paris"}' };

describe('toChatCompletionBody', () => {
  it('says in words that a tool result failed, where the text does not already', () => {
    const results = [
      { content: 'city not found', isError: true, sent: 'Error: city not found' },
      { content: 'Error: timeout', isError: true, sent: 'Error: timeout' },
      { content: '{"error": {"code": "X"}}', isError: true, sent: '{"error": {"code": "X"}}' },
      { content: 'sunny', isError: false, sent: 'sunny' },
    ];
    for (const { content, isError, sent } of results) {
      const body = toChatCompletionBody(
        {
          model: 'm',
          messages: [
            { role: 'assistant', content: [], toolCalls: [call] },
            { role: 'tool', toolCallId: 'call_1', content, isError },
          ],
        },
        { stream: false },
      );
      expect((body.messages as Array<{ content: unknown }>)[1]?.content).toBe(sent);
    }
  });

  it('writes every field of a streaming request and always asks for usage', () => {
    const request: ModelRequest = {
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }] },
        { role: 'assistant', content: [], toolCalls: [call] },
        { role: 'tool', toolCallId: 'call_1', content: 'sunny', isError: false },
        { role: 'assistant', content: [{ type: 'text', text: 'Sunny.' }], toolCalls: [] },
      ],
      tools: [{ name: 'weather', description: 'Weather now', parameters: { type: 'object' } }],
      toolChoice: { name: 'weather' },
      parallelToolCalls: false,
      maxTokens: 50,
      temperature: 0,
      topP: 1,
      stop: ['END'],
      seed: 7,
    };
    expect(toChatCompletionBody(request, { stream: true })).toEqual({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
        { role: 'assistant', content: 'Sunny.' },
      ],
      tools: [
        {
          type: 'function',
          function: { name: 'weather', description: 'Weather now', parameters: { type: 'object' } },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      parallel_tool_calls: false,
      max_tokens: 50,
      temperature: 0,
      top_p: 1,
      stop: ['END'],
      seed: 7,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends the answer format, the penalties and the logit bias', () => {
    const body = toChatCompletionBody(
      {
        model: 'm',
        messages: [],
        responseFormat: {
          type: 'json_schema',
          name: 'city',
          schema: { type: 'object', properties: { name: { type: 'string' } } },
          strict: true,
        },
        presencePenalty: 0.5,
        frequencyPenalty: -0.5,
        logitBias: { '50256': -100 },
        endUser: 'end-user-7',
      },
      { stream: false },
    );
    expect(body).toMatchObject({
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'city',
          schema: { type: 'object', properties: { name: { type: 'string' } } },
          strict: true,
        },
      },
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      logit_bias: { '50256': -100 },
      user: 'end-user-7',
    });
    const plain = toChatCompletionBody(
      { model: 'm', messages: [], responseFormat: { type: 'json_object' } },
      { stream: false },
    );
    expect(plain.response_format).toEqual({ type: 'json_object' });
  });

  it('sends no stream_options when not streaming, or when turned off', () => {
    const request: ModelRequest = { model: 'm', messages: [] };
    expect(toChatCompletionBody(request, { stream: false })).toEqual({
      model: 'm',
      messages: [],
      stream: false,
    });
    expect(toChatCompletionBody(request, { stream: true, includeUsage: false })).toEqual({
      model: 'm',
      messages: [],
      stream: true,
    });
  });

  it('can carry the limit as max_completion_tokens', () => {
    const request: ModelRequest = { model: 'm', messages: [], maxTokens: 9 };
    const body = toChatCompletionBody(request, {
      stream: false,
      maxTokensField: 'max_completion_tokens',
    });
    expect(body.max_completion_tokens).toBe(9);
    expect(body).not.toHaveProperty('max_tokens');
  });

  it('keeps text beside tool calls, and an empty turn as empty text', () => {
    const request: ModelRequest = {
      model: 'm',
      messages: [
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }], toolCalls: [call] },
        { role: 'assistant', content: [], toolCalls: [] },
      ],
    };
    const { messages } = toChatCompletionBody(request, { stream: false }) as {
      messages: Record<string, unknown>[];
    };
    expect(messages[0]?.content).toBe('Checking.');
    expect(messages[1]).toEqual({ role: 'assistant', content: '' });
  });

  it('sends image content as parts with the data URL untouched', () => {
    const url = `data:image/png;base64,${'B'.repeat(3 * 1024 * 1024)}`;
    const request: ModelRequest = {
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is it?' },
            { type: 'image', url, detail: 'low' },
            { type: 'image', url: 'https://example.test/cat.png' },
          ],
        },
      ],
    };
    const { messages } = toChatCompletionBody(request, { stream: false }) as {
      messages: { content: unknown }[];
    };
    expect(messages[0]?.content).toEqual([
      { type: 'text', text: 'What is it?' },
      { type: 'image_url', image_url: { url, detail: 'low' } },
      { type: 'image_url', image_url: { url: 'https://example.test/cat.png' } },
    ]);
  });

  it('P17: a client history with empty assistant text goes upstream as content null', () => {
    const toolCall = { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } };
    for (const content of ['', [{ type: 'text', text: '' }]]) {
      const parsed = parseChatCompletionRequest({
        model: 'm',
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content, tool_calls: [toolCall] },
          { role: 'tool', tool_call_id: 'c1', content: 'done' },
        ],
      });
      const body = toChatCompletionBody({ model: 'm', ...parsed.request }, { stream: true });
      expect((body.messages as unknown[])[1]).toEqual({
        role: 'assistant',
        content: null,
        tool_calls: [toolCall],
      });
    }
  });
});
