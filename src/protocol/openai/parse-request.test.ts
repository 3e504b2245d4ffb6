import { describe, expect, it } from 'vitest';

import { RampartError } from '../../core/index.js';
import { parseChatCompletionRequest } from './parse-request.js';

const user = (content: unknown) => ({ role: 'user', content });
const toolCall = (id: string) => ({
  id,
  type: 'function',
  function: { name: 'f', arguments: '{}' },
});
const toolResult = (id: string) => ({ role: 'tool', tool_call_id: id, content: 'done' });

function parseError(body: unknown): RampartError {
  try {
    parseChatCompletionRequest(body);
  } catch (error) {
    if (error instanceof RampartError) return error;
    throw error;
  }
  throw new Error('expected the request to be rejected');
}

describe('parseChatCompletionRequest', () => {
  it('translates a full request', () => {
    const parsed = parseChatCompletionRequest({
      model: 'gpt-test',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'developer', content: [{ type: 'text', text: 'Use tools.' }] },
        user('Weather in Paris?'),
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"c":1}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: 'sunny' }] },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'weather',
            description: 'Current weather',
            parameters: { type: 'object', properties: { c: { type: 'number' } } },
          },
        },
        { type: 'function', function: { name: 'noop' } },
      ],
      tool_choice: { type: 'function', function: { name: 'weather' } },
      parallel_tool_calls: false,
      max_tokens: 100,
      temperature: 0.5,
      top_p: 0.9,
      stop: '\n',
      seed: 42,
      stream: true,
      stream_options: { include_usage: true },
      n: 1,
      user: 'someone',
      frequency_penalty: 0,
      presence_penalty: 1.5,
      logit_bias: { '50256': -100 },
      response_format: { type: 'json_object' },
      logprobs: false,
      metadata: { ignored: true },
    });

    expect(parsed).toEqual({
      model: 'gpt-test',
      stream: true,
      includeUsage: true,
      request: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'system', content: 'Use tools.' },
          { role: 'user', content: [{ type: 'text', text: 'Weather in Paris?' }] },
          {
            role: 'assistant',
            content: [],
            toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"c":1}' }],
          },
          { role: 'tool', toolCallId: 'call_1', content: 'sunny' },
        ],
        tools: [
          {
            name: 'weather',
            description: 'Current weather',
            parameters: { type: 'object', properties: { c: { type: 'number' } } },
          },
          { name: 'noop', parameters: { type: 'object', properties: {} } },
        ],
        toolChoice: { name: 'weather' },
        parallelToolCalls: false,
        maxTokens: 100,
        temperature: 0.5,
        topP: 0.9,
        stop: ['\n'],
        seed: 42,
        responseFormat: { type: 'json_object' },
        presencePenalty: 1.5,
        frequencyPenalty: 0,
        logitBias: { '50256': -100 },
        endUser: 'someone',
      },
    });
  });

  it('reads a JSON schema answer format, and text as no format', () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } } };
    const parsed = parseChatCompletionRequest({
      model: 'm',
      messages: [user('hi')],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'city_answer', schema, strict: true, description: null },
      },
    });
    expect(parsed.request.responseFormat).toEqual({
      type: 'json_schema',
      name: 'city_answer',
      schema,
      strict: true,
    });
    const text = parseChatCompletionRequest({
      model: 'm',
      messages: [user('hi')],
      response_format: { type: 'text' },
    });
    expect(text.request).not.toHaveProperty('responseFormat');
  });

  it.each([
    [{ logprobs: true }, 'logprobs'],
    [{ top_logprobs: 3 }, 'top_logprobs'],
    [{ presence_penalty: 2.5 }, 'presence_penalty'],
    [{ frequency_penalty: -3 }, 'frequency_penalty'],
    [{ logit_bias: { abc: 1 } }, 'logit_bias.abc'],
    [{ logit_bias: { '12': 101 } }, 'logit_bias.12'],
    [{ response_format: { type: 'yaml' } }, 'response_format.type'],
    [
      { response_format: { type: 'json_schema', json_schema: { name: 'a b' } } },
      'response_format.json_schema.name',
    ],
    [{ response_format: { type: 'json_schema' } }, 'response_format.json_schema'],
    [{ user: 'u'.repeat(257) }, 'user'],
    [{ user: 42 }, 'user'],
  ])('refuses %j, naming %s', (extra, param) => {
    const error = parseError({ model: 'm', messages: [user('hi')], ...extra });
    expect(error.code).toBe('RAMPART_INVALID_REQUEST');
    expect(error.param).toBe(param);
  });

  it('refuses an answer schema nested past the depth limit', () => {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < 200; level++)
      schema = { type: 'object', properties: { a: schema } };
    const error = parseError({
      model: 'm',
      messages: [user('hi')],
      response_format: { type: 'json_schema', json_schema: { name: 'deep', schema } },
    });
    expect(error.param).toBe('response_format.json_schema.schema');
  });

  it('gives a minimal request no optional fields', () => {
    const parsed = parseChatCompletionRequest({ model: 'm', messages: [user('hi')] });
    expect(parsed).toEqual({
      model: 'm',
      stream: false,
      includeUsage: false,
      request: { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
    });
  });

  it('treats null optional fields as absent', () => {
    const parsed = parseChatCompletionRequest({
      model: 'm',
      messages: [user('hi')],
      tools: null,
      stop: null,
      temperature: null,
      stream: null,
      stream_options: null,
      n: null,
    });
    expect(parsed.request).toEqual({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    });
  });

  it('prefers max_completion_tokens over max_tokens', () => {
    const parsed = parseChatCompletionRequest({
      model: 'm',
      messages: [user('hi')],
      max_tokens: 10,
      max_completion_tokens: 20,
    });
    expect(parsed.request.maxTokens).toBe(20);
  });

  it('asks for usage only on a streaming request', () => {
    const body = { model: 'm', messages: [user('hi')], stream_options: { include_usage: true } };
    expect(parseChatCompletionRequest(body).includeUsage).toBe(false);
    expect(parseChatCompletionRequest({ ...body, stream: true }).includeUsage).toBe(true);
  });

  it('passes a multi-megabyte data URL through unchanged', () => {
    const url = `data:image/png;base64,${'A'.repeat(6 * 1024 * 1024)}`;
    const parsed = parseChatCompletionRequest({
      model: 'm',
      messages: [
        user([
          { type: 'text', text: 'What is this?' },
          { type: 'image_url', image_url: { url, detail: 'high' } },
        ]),
      ],
    });
    const [message] = parsed.request.messages;
    expect(message).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'What is this?' },
        { type: 'image', url, detail: 'high' },
      ],
    });
    expect(
      message?.role === 'user' &&
        message.content[1]?.type === 'image' &&
        message.content[1].url === url,
    ).toBe(true);
  });

  it('P17: drops empty text from a tool-only assistant turn', () => {
    const call = { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } };
    for (const content of ['', [{ type: 'text', text: '' }], null]) {
      const parsed = parseChatCompletionRequest({
        model: 'm',
        messages: [
          user('hi'),
          { role: 'assistant', content, tool_calls: [call] },
          { role: 'tool', tool_call_id: 'c1', content: 'done' },
        ],
      });
      expect(parsed.request.messages[1]).toEqual({
        role: 'assistant',
        content: [],
        toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }],
      });
    }
  });

  it.each([
    [
      'a call no result answers',
      [
        user('hi'),
        { role: 'assistant', content: null, tool_calls: [toolCall('c1'), toolCall('c2')] },
        toolResult('c1'),
        user('and?'),
      ],
      'messages[1]',
    ],
    [
      'a call at the end',
      [user('hi'), { role: 'assistant', content: null, tool_calls: [toolCall('c1')] }],
      'messages[1]',
    ],
    ['a result of no call', [user('hi'), toolResult('c9')], 'messages[1]'],
    [
      'a result of an earlier turn’s call',
      [
        user('hi'),
        { role: 'assistant', content: null, tool_calls: [toolCall('c1')] },
        toolResult('c1'),
        user('again'),
        toolResult('c1'),
      ],
      'messages[4]',
    ],
  ])('refuses tool calls and results that do not pair up: %s', (_, messages, param) => {
    const error = parseError({ model: 'm', messages });
    expect(error.code).toBe('RAMPART_INVALID_REQUEST');
    expect(error.param).toBe(param);
  });

  it('takes parallel results in any order', () => {
    const parsed = parseChatCompletionRequest({
      model: 'm',
      messages: [
        user('hi'),
        { role: 'assistant', content: null, tool_calls: [toolCall('c1'), toolCall('c2')] },
        toolResult('c2'),
        toolResult('c1'),
      ],
    });
    expect(parsed.request.messages).toHaveLength(4);
  });

  it('drops empty text parts from user content but keeps the rest', () => {
    const parsed = parseChatCompletionRequest({
      model: 'm',
      messages: [
        user([
          { type: 'text', text: '' },
          { type: 'text', text: 'hi' },
        ]),
      ],
    });
    expect(parsed.request.messages[0]).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'hi' }],
    });
  });

  it('reads a refusal part of an assistant turn as its text', () => {
    const parsed = parseChatCompletionRequest({
      model: 'm',
      messages: [user('x'), { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] }],
    });
    expect(parsed.request.messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'No.' }],
      toolCalls: [],
    });
  });
});

describe('parseChatCompletionRequest errors', () => {
  const base = { model: 'm', messages: [user('hi')] };

  it.each([
    [
      { ...base, messages: [user('a'), user('b'), { role: 'robot', content: 'x' }] },
      'messages[2].role',
    ],
    [{ ...base, messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].tool_call_id'],
    [{ ...base, messages: [user([{ type: 'text' }])] }, 'messages[0].content[0].text'],
    [
      { ...base, messages: [user([{ type: 'input_audio', input_audio: {} }])] },
      'messages[0].content[0].type',
    ],
    [
      { ...base, messages: [user([{ type: 'image_url', image_url: { url: '' } }])] },
      'messages[0].content[0].image_url.url',
    ],
    [{ ...base, messages: [] }, 'messages'],
    [{ messages: base.messages }, 'model'],
    [{ ...base, temperature: 3 }, 'temperature'],
    [{ ...base, max_tokens: 0 }, 'max_tokens'],
    [{ ...base, tool_choice: 'sometimes' }, 'tool_choice'],
    [{ ...base, stop: [1] }, 'stop[0]'],
    [
      { ...base, tools: [{ type: 'function', function: { description: 'x' } }] },
      'tools[0].function.name',
    ],
  ])('names the bad field (%#: %s)', (body, param) => {
    const error = parseError(body);
    expect(error.code).toBe('RAMPART_INVALID_REQUEST');
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message).toContain(`'${param}'`);
  });

  it('says which types a union field allows', () => {
    const error = parseError({ ...base, messages: [user(5)] });
    expect(error.message).toBe(
      "Invalid 'messages[0].content': Invalid input: expected string or array",
    );
  });

  it('names the roles a message may have when its role is wrong or missing', () => {
    for (const message of [{ role: 'human', content: 'hi' }, { content: 'hi' }]) {
      const error = parseError({ ...base, messages: [message] });
      expect(error.param).toBe('messages[0].role');
      expect(error.message).toBe(
        "Invalid 'messages[0].role': Invalid discriminator value. " +
          "Expected 'system' | 'developer' | 'user' | 'assistant' | 'tool'",
      );
    }
  });

  it('refuses n other than 1 with a clear message', () => {
    const error = parseError({ ...base, n: 3 });
    expect(error.param).toBe('n');
    expect(error.message).toBe('Only n=1 is supported; got n=3');
  });

  it('refuses a forced tool that is not in tools', () => {
    const error = parseError({
      ...base,
      tools: [{ type: 'function', function: { name: 'a' } }],
      tool_choice: { type: 'function', function: { name: 'b' } },
    });
    expect(error.param).toBe('tool_choice.function.name');
  });

  it('refuses tool_choice required without tools', () => {
    expect(parseError({ ...base, tool_choice: 'required' }).param).toBe('tool_choice');
  });

  /** A JSON object nested exactly `depth` levels deep, parsed from text as a server reads it. */
  function nested(depth: number): Record<string, unknown> {
    const text = '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
    return JSON.parse(text) as Record<string, unknown>;
  }

  const tool = (name: string, parameters: unknown) => ({
    type: 'function',
    function: { name, parameters },
  });

  it('refuses a tool schema nested 5,000 levels deep, naming it', () => {
    const error = parseError({ ...base, tools: [tool('flat', {}), tool('deep', nested(5000))] });
    expect(error.code).toBe('RAMPART_INVALID_REQUEST');
    expect(error.status).toBe(400);
    expect(error.param).toBe('tools[1].function.parameters');
    expect(error.message).toBe(
      "Invalid 'tools[1].function.parameters': nested deeper than 64 levels",
    );
  });

  it('accepts a tool schema 64 levels deep and refuses one of 65', () => {
    const parameters = nested(64);
    const parsed = parseChatCompletionRequest({ ...base, tools: [tool('deep', parameters)] });
    expect(parsed.request.tools?.[0]?.parameters).toEqual(parameters);
    const error = parseError({ ...base, tools: [tool('deeper', nested(65))] });
    expect(error.param).toBe('tools[0].function.parameters');
  });

  it('rejects a body that is not an object', () => {
    expect(parseError('hello').code).toBe('RAMPART_INVALID_REQUEST');
    expect(parseError(null).code).toBe('RAMPART_INVALID_REQUEST');
  });
});
