import { describe, expect, it } from 'vitest';
import { RampartError } from '../../core/index.js';
import { parseMessagesRequest } from './parse-messages-request.js';

const base = { model: 'claude-test', max_tokens: 256 };

function parseError(body: unknown): RampartError {
  try {
    parseMessagesRequest(body);
  } catch (error) {
    if (error instanceof RampartError) return error;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

describe('parseMessagesRequest', () => {
  it('reads a plain request with string content and a string system prompt', () => {
    const parsed = parseMessagesRequest({
      ...base,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello' }],
      stream: true,
      temperature: 0.2,
      top_p: 0.9,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
      unknown_field: { anything: true },
    });
    expect(parsed).toEqual({
      model: 'claude-test',
      stream: true,
      request: {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
        ],
        maxTokens: 256,
        temperature: 0.2,
        topP: 0.9,
        stop: ['END'],
        endUser: 'u-1',
      },
    });
  });

  it('reads metadata of null, or a user id of null or empty, as no end-user id', () => {
    for (const metadata of [null, { user_id: null }, { user_id: '' }, {}]) {
      const parsed = parseMessagesRequest({
        ...base,
        metadata,
        messages: [{ role: 'user', content: 'Hi' }],
      });
      expect(parsed.request).not.toHaveProperty('endUser');
    }
  });

  it('keeps each system text block as its own system message, dropping empty ones', () => {
    const parsed = parseMessagesRequest({
      ...base,
      system: [
        { type: 'text', text: 'One.', cache_control: { type: 'ephemeral' } },
        { type: 'text', text: '' },
        { type: 'text', text: 'Two.' },
      ],
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(parsed.stream).toBe(false);
    expect(parsed.request.messages.slice(0, 2)).toEqual([
      { role: 'system', content: 'One.' },
      { role: 'system', content: 'Two.' },
    ]);
  });

  it('turns base64 and url images into image parts', () => {
    const parsed = parseMessagesRequest({
      ...base,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'text', text: 'What are these?' },
          ],
        },
      ],
    });
    expect(parsed.request.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', url: 'data:image/png;base64,iVBOR' },
          { type: 'image', url: 'https://example.com/cat.jpg' },
          { type: 'text', text: 'What are these?' },
        ],
      },
    ]);
  });

  it('puts one tool message per tool_result straight after the assistant turn, in order (P15)', () => {
    const parsed = parseMessagesRequest({
      ...base,
      messages: [
        { role: 'user', content: 'Weather in A and B?' },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: '' },
            { type: 'tool_use', id: 'toolu_A', name: 'weather', input: { city: 'A' } },
            { type: 'tool_use', id: 'toolu_B', name: 'weather', input: { city: 'B' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_A', content: 'sunny' },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_B',
              content: [
                { type: 'text', text: 'rain, ' },
                { type: 'text', text: '12C' },
              ],
              is_error: true,
            },
            { type: 'text', text: 'thanks, summarise' },
          ],
        },
      ],
    });
    expect(parsed.request.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: [],
        toolCalls: [
          { id: 'toolu_A', name: 'weather', arguments: '{"city":"A"}' },
          { id: 'toolu_B', name: 'weather', arguments: '{"city":"B"}' },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_A', content: 'sunny' },
      { role: 'tool', toolCallId: 'toolu_B', content: 'rain, 12C', isError: true },
      { role: 'user', content: [{ type: 'text', text: 'thanks, summarise' }] },
    ]);
  });

  it('gives no empty user message when a turn holds only tool results', () => {
    const parsed = parseMessagesRequest({
      ...base,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1' }] },
      ],
    });
    expect(parsed.request.messages.at(-1)).toEqual({ role: 'tool', toolCallId: 't1', content: '' });
    expect(parsed.request.messages).toHaveLength(3);
  });

  it('reads consecutive turns of one role as one, as Anthropic does', () => {
    const parsed = parseMessagesRequest({
      ...base,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
        { role: 'assistant', content: 'One moment.' },
        { role: 'user', content: 'Thanks.' },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: 'sunny' }] },
      ],
    });
    expect(parsed.request.messages.some((message) => message.role === 'tool')).toBe(true);
  });

  it.each([
    [
      'a tool_use the next message does not answer',
      [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 't1', name: 'f', input: {} }] },
        { role: 'user', content: 'never mind' },
      ],
      'messages[1].content',
    ],
    [
      'a tool_result of no tool_use',
      [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1' }] }],
      'messages[0].content',
    ],
  ])('refuses %s', (_, messages, param) => {
    expect(() => parseMessagesRequest({ ...base, messages })).toThrow(
      expect.objectContaining({ code: 'RAMPART_INVALID_REQUEST', param }),
    );
  });

  it('drops thinking blocks from assistant history', () => {
    const parsed = parseMessagesRequest({
      ...base,
      messages: [
        { role: 'user', content: 'Hi' },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 'hmm', signature: 'sig' },
            { type: 'text', text: 'Hello!' },
          ],
        },
      ],
    });
    expect(parsed.request.messages[1]).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'Hello!' }],
      toolCalls: [],
    });
  });

  it('reads tools and each tool_choice, with disable_parallel_tool_use (P16 reverse)', () => {
    const tools = [{ name: 'f', description: 'Does f', input_schema: { type: 'object' } }];
    const messages = [{ role: 'user', content: 'go' }];
    const read = (tool_choice: unknown) =>
      parseMessagesRequest({ ...base, messages, tools, tool_choice }).request;

    const auto = read({ type: 'auto', disable_parallel_tool_use: true });
    expect(auto.tools).toEqual([
      { name: 'f', description: 'Does f', parameters: { type: 'object' } },
    ]);
    expect(auto.toolChoice).toBe('auto');
    expect(auto.parallelToolCalls).toBe(false);

    expect(read({ type: 'auto' }).parallelToolCalls).toBeUndefined();
    expect(read({ type: 'none' }).toolChoice).toBe('none');
    expect(read({ type: 'any' }).toolChoice).toBe('required');
    const forced = read({ type: 'tool', name: 'f', disable_parallel_tool_use: true });
    expect(forced.toolChoice).toEqual({ name: 'f' });
    expect(forced.parallelToolCalls).toBe(false);
  });

  it.each([
    [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
    [{ model: 'm', messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
    [{ ...base, max_tokens: 0, messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
    [{ ...base, messages: [] }, 'messages'],
    [{ ...base, messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role'],
    [{ ...base, messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    [
      { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 1 }] }] },
      'messages[0].content[0].text',
    ],
    [
      { ...base, messages: [{ role: 'user', content: [{ type: 'video' }] }] },
      'messages[0].content[0].type',
    ],
    [
      {
        ...base,
        messages: [
          { role: 'user', content: 'x' },
          { role: 'user', content: [{ type: 'image', source: { type: 'url' } }] },
        ],
      },
      'messages[1].content[0].source.url',
    ],
    [
      {
        ...base,
        messages: [
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't', content: 3 }] },
        ],
      },
      'messages[0].content[0].content',
    ],
    ...[
      { media_type: 'image/png;v=1', data: 'AAAA', param: 'media_type' },
      { media_type: 'text/html', data: 'AAAA', param: 'media_type' },
      { media_type: 'image/png', data: '!!!', param: 'data' },
      { media_type: 'image/png', data: '', param: 'data' },
    ].map(({ param, ...source }): [unknown, string] => [
      {
        ...base,
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'x' },
              { type: 'image', source: { type: 'base64', ...source } },
            ],
          },
        ],
      },
      `messages[0].content[1].source.${param}`,
    ]),
    [{ ...base, messages: [{ role: 'user', content: 'x' }], temperature: 1.5 }, 'temperature'],
    [
      { ...base, messages: [{ role: 'user', content: 'x' }], tools: [{ name: 'f' }] },
      'tools[0].input_schema',
    ],
    [
      { ...base, messages: [{ role: 'user', content: 'x' }], tool_choice: { type: 'tool' } },
      'tool_choice.name',
    ],
  ])('refuses a bad field and names its path (%#)', (body, param) => {
    const error = parseError(body);
    expect(error.code).toBe('RAMPART_INVALID_REQUEST');
    expect(error.status).toBe(400);
    expect(error.param).toBe(param);
    expect(error.message.startsWith(`Invalid '${param}': `)).toBe(true);
  });

  it('refuses a user turn with nothing to read, and a forced tool it does not declare', () => {
    const cases: Array<[unknown, string]> = [
      [{ ...base, messages: [{ role: 'user', content: [] }] }, 'messages[0].content'],
      [
        {
          ...base,
          messages: [
            { role: 'user', content: 'hi' },
            { role: 'assistant', content: 'hello' },
            { role: 'user', content: [{ type: 'thinking' }, { type: 'text', text: '' }] },
          ],
        },
        'messages[2].content',
      ],
      [
        {
          ...base,
          messages: [{ role: 'user', content: 'x' }],
          tools: [{ name: 'f', input_schema: { type: 'object' } }],
          tool_choice: { type: 'tool', name: 'g' },
        },
        'tool_choice.name',
      ],
    ];
    for (const [body, param] of cases) {
      const error = parseError(body);
      expect(error.param).toBe(param);
      expect(error.message.startsWith(`Invalid '${param}': `)).toBe(true);
    }
    // An empty assistant turn is no user turn: it is left to the conversation.
    const parsed = parseMessagesRequest({
      ...base,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [] },
      ],
    });
    expect(parsed.request.messages).toHaveLength(2);
  });

  it('names the block types it reads when given another', () => {
    const error = parseError({
      ...base,
      messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }],
    });
    expect(error.param).toBe('messages[0].content[0].type');
    expect(error.message).toContain(
      'must be a text, image, tool_use, tool_result or thinking block',
    );
  });

  it('refuses a body that is not an object without naming a field', () => {
    const error = parseError('hello');
    expect(error.code).toBe('RAMPART_INVALID_REQUEST');
    expect(error.param).toBeUndefined();
  });

  it('names both accepted kinds when content is neither a string nor an array', () => {
    const error = parseError({ ...base, messages: [{ role: 'user', content: 5 }] });
    expect(error.message).toBe(
      "Invalid 'messages[0].content': Invalid input: expected string or array",
    );
  });

  /** A JSON object nested exactly `depth` levels deep, parsed from text as a server reads it. */
  function nested(depth: number): Record<string, unknown> {
    const text = '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
    return JSON.parse(text) as Record<string, unknown>;
  }

  const question = { role: 'user', content: 'x' };

  it('refuses a tool schema nested 5,000 levels deep, naming it', () => {
    const tools = [
      { name: 'flat', input_schema: { type: 'object' } },
      { name: 'deep', input_schema: nested(5000) },
    ];
    const error = parseError({ ...base, messages: [question], tools });
    expect(error.code).toBe('RAMPART_INVALID_REQUEST');
    expect(error.status).toBe(400);
    expect(error.param).toBe('tools[1].input_schema');
    expect(error.message).toBe("Invalid 'tools[1].input_schema': nested deeper than 64 levels");
  });

  it('accepts a tool schema 64 levels deep and refuses one of 65', () => {
    const parsed = parseMessagesRequest({
      ...base,
      messages: [question],
      tools: [{ name: 'deep', input_schema: nested(64) }],
    });
    expect(parsed.request.tools?.[0]?.parameters).toEqual(nested(64));
    const tools = [{ name: 'deeper', input_schema: nested(65) }];
    expect(parseError({ ...base, messages: [question], tools }).param).toBe(
      'tools[0].input_schema',
    );
  });

  it('refuses an earlier tool_use input nested 5,000 levels deep, naming it', () => {
    const call = { type: 'tool_use', id: 'toolu_1', name: 'f', input: nested(5000) };
    const messages = [
      question,
      { role: 'assistant', content: [{ type: 'text', text: 'ok' }, call] },
    ];
    const error = parseError({ ...base, messages });
    expect(error.code).toBe('RAMPART_INVALID_REQUEST');
    expect(error.param).toBe('messages[1].content[1].input');
  });
});
