import { describe, expect, it } from 'vitest';
import { RampartError, type Message, type ModelRequest } from '../../core/index.js';
import { formatRefusal, MAX_INVALID_ARGUMENTS_LENGTH, toMessagesBody } from './to-messages-body.js';

const options = { stream: true, defaultMaxTokens: 1024 };
const tools = [{ name: 'f', parameters: { type: 'object', properties: {} } }];

function request(messages: Message[], extra: Partial<ModelRequest> = {}): ModelRequest {
  return { model: 'claude-test', messages, ...extra };
}

function user(text: string): Message {
  return { role: 'user', content: [{ type: 'text', text }] };
}

function bodyError(input: ModelRequest): RampartError {
  try {
    toMessagesBody(input, options);
  } catch (error) {
    if (error instanceof RampartError) return error;
    throw error;
  }
  throw new Error('expected toMessagesBody to refuse the request');
}

describe('toMessagesBody', () => {
  it('hoists system messages, uses the default max_tokens and sets stream', () => {
    const body = toMessagesBody(
      request([{ role: 'system', content: 'Be brief.' }, user('Hi')], {
        temperature: 0.5,
        topP: 0.8,
        stop: ['END'],
        seed: 7,
      }),
      options,
    );
    expect(body).toEqual({
      model: 'claude-test',
      max_tokens: 1024,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      stream: true,
      temperature: 0.5,
      top_p: 0.8,
      stop_sequences: ['END'],
    });
  });

  it("passes the client's end-user id on as metadata.user_id", () => {
    const body = toMessagesBody(request([user('Hi')], { endUser: 'end-user-7' }), options);
    expect(body.metadata).toEqual({ user_id: 'end-user-7' });
    expect(toMessagesBody(request([user('Hi')]), options)).not.toHaveProperty('metadata');
  });

  it('drops the penalties and logit bias, and refuses a response format it cannot honour', () => {
    const shaded = request([user('Hi')], {
      presencePenalty: 1,
      frequencyPenalty: -1,
      logitBias: { '50256': -100 },
    });
    expect(Object.keys(toMessagesBody(shaded, options)).sort()).toEqual([
      'max_tokens',
      'messages',
      'model',
      'stream',
    ]);
    expect(formatRefusal(shaded)).toBeUndefined();
    for (const responseFormat of [
      { type: 'json_object' as const },
      { type: 'json_schema' as const, name: 'answer', schema: { type: 'object' } },
    ]) {
      const refusal = formatRefusal({ responseFormat });
      expect(refusal?.code).toBe('RAMPART_INVALID_REQUEST');
      expect(refusal?.param).toBe('response_format');
      expect(refusal?.message).toContain(responseFormat.type);
    }
  });

  it('sends several system messages as text blocks and keeps the request max_tokens', () => {
    const body = toMessagesBody(
      request(
        [{ role: 'system', content: 'One.' }, user('Hi'), { role: 'system', content: 'Two.' }],
        { maxTokens: 50 },
      ),
      { stream: false, defaultMaxTokens: 1024 },
    );
    expect(body.system).toEqual([
      { type: 'text', text: 'One.' },
      { type: 'text', text: 'Two.' },
    ]);
    expect(body.max_tokens).toBe(50);
    expect(body.stream).toBe(false);
  });

  it('puts parallel tool results in one user message, in order, with the trailing text (P15)', () => {
    const body = toMessagesBody(
      request([
        user('Do three things'),
        {
          role: 'assistant',
          content: [],
          toolCalls: [
            { id: 'c1', name: 'f', arguments: '{"n":1}' },
            { id: 'c2', name: 'f', arguments: '{"n":2}' },
            { id: 'c3', name: 'f', arguments: '{"n":3}' },
          ],
        },
        { role: 'tool', toolCallId: 'c1', content: 'one' },
        { role: 'tool', toolCallId: 'c2', content: 'two', isError: true },
        { role: 'tool', toolCallId: 'c3', content: '' },
        user('thanks, summarise'),
      ]),
      options,
    );
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Do three things' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'c1', name: 'f', input: { n: 1 } },
          { type: 'tool_use', id: 'c2', name: 'f', input: { n: 2 } },
          { type: 'tool_use', id: 'c3', name: 'f', input: { n: 3 } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'c1', content: 'one' },
          { type: 'tool_result', tool_use_id: 'c2', content: 'two', is_error: true },
          { type: 'tool_result', tool_use_id: 'c3' },
          { type: 'text', text: 'thanks, summarise' },
        ],
      },
    ]);
  });

  it('sends a tool-only turn with only tool_use blocks and drops empty text everywhere (P17)', () => {
    const body = toMessagesBody(
      request([
        {
          role: 'user',
          content: [
            { type: 'text', text: '' },
            { type: 'text', text: 'Go' },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'text', text: '' }],
          toolCalls: [{ id: 'c1', name: 'f', arguments: '{}' }],
        },
        { role: 'tool', toolCallId: 'c1', content: 'done' },
      ]),
      options,
    );
    expect(body.messages[0]?.content).toEqual([{ type: 'text', text: 'Go' }]);
    expect(body.messages[1]?.content).toEqual([
      { type: 'tool_use', id: 'c1', name: 'f', input: {} },
    ]);
  });

  it('merges neighbours of the same role, keeping tool results first', () => {
    const body = toMessagesBody(
      request([
        user('a'),
        user('b'),
        { role: 'assistant', content: [{ type: 'text', text: 'c' }], toolCalls: [] },
        { role: 'assistant', content: [{ type: 'text', text: 'd' }], toolCalls: [] },
        user('e'),
        { role: 'tool', toolCallId: 'x', content: 'r' },
        { role: 'user', content: [] },
      ]),
      options,
    );
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'a' },
          { type: 'text', text: 'b' },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'c' },
          { type: 'text', text: 'd' },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'x', content: 'r' },
          { type: 'text', text: 'e' },
        ],
      },
    ]);
  });

  it.each([
    [{ parallelToolCalls: false }, { type: 'auto', disable_parallel_tool_use: true }],
    [{ toolChoice: 'none' }, { type: 'none' }],
    [{ toolChoice: 'none', parallelToolCalls: false }, { type: 'none' }],
    [
      { toolChoice: 'required', parallelToolCalls: false },
      { type: 'any', disable_parallel_tool_use: true },
    ],
    [{ toolChoice: 'required' }, { type: 'any' }],
    [{ toolChoice: { name: 'f' } }, { type: 'tool', name: 'f' }],
    [{ toolChoice: 'auto' }, { type: 'auto' }],
  ] as const)('maps tool choice %j to %j (P16)', (extra, expected) => {
    const body = toMessagesBody(request([user('x')], { tools, ...extra }), options);
    expect(body.tool_choice).toEqual(expected);
  });

  it('sends tools with an object input schema and no tool_choice when none was asked', () => {
    const body = toMessagesBody(
      request([user('x')], { tools: [{ name: 'g', description: 'G', parameters: {} }] }),
      options,
    );
    expect(body.tools).toEqual([{ name: 'g', description: 'G', input_schema: { type: 'object' } }]);
    expect(body).not.toHaveProperty('tool_choice');
  });

  it('leaves tool_choice out when there are no tools', () => {
    const body = toMessagesBody(request([user('x')], { toolChoice: 'none' }), options);
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('tools');
  });

  it('sends data URLs as base64 sources and other URLs as url sources', () => {
    const body = toMessagesBody(
      request([
        {
          role: 'user',
          content: [
            { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' },
            { type: 'image', url: 'https://example.com/a.png', detail: 'high' },
          ],
        },
      ]),
      options,
    );
    expect(body.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
    ]);
  });

  it('refuses a data URL that is not base64, naming the part', () => {
    const error = bodyError(
      request([
        user('a'),
        { role: 'user', content: [{ type: 'image', url: 'data:image/png,abc' }] },
      ]),
    );
    expect(error.code).toBe('RAMPART_INVALID_REQUEST');
    expect(error.param).toBe('messages[1].content[0]');
  });

  it('sends blank argument text as an empty input', () => {
    const body = toMessagesBody(
      request([
        { role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'f', arguments: ' ' }] },
      ]),
      options,
    );
    expect(body.messages[0]?.content).toEqual([
      { type: 'tool_use', id: 'c', name: 'f', input: {} },
    ]);
  });

  /** The `input` sent for the second of two calls, the first being well formed. */
  function inputFor(text: string): unknown {
    const body = toMessagesBody(
      request([
        user('x'),
        {
          role: 'assistant',
          content: [],
          toolCalls: [
            { id: 'ok', name: 'f', arguments: '{"n":1}' },
            { id: 'bad', name: 'f', arguments: text },
          ],
        },
        { role: 'tool', toolCallId: 'ok', content: '1' },
        { role: 'tool', toolCallId: 'bad', content: 'invalid arguments', isError: true },
        user('again'),
      ]),
      options,
    );
    const blocks = body.messages[1]?.content ?? [];
    expect(blocks[0]).toEqual({ type: 'tool_use', id: 'ok', name: 'f', input: { n: 1 } });
    const block = blocks[1];
    return block?.type === 'tool_use' ? block.input : undefined;
  }

  it.each([
    '{"city":"Paris","units":"metr',
    '{"expression": 1+}',
    String.raw`{"pattern": "\d+"}`,
    '{}""',
    '{"a":1}{"b":2}',
    '[1,2]',
    '"text"',
    'null',
    '42',
  ])('sends tool arguments %j that are not a JSON object as a marker (P10, P11)', (text) => {
    expect(inputFor(text)).toEqual({ _invalid_arguments: text });
  });

  it('keeps valid object arguments as parsed', () => {
    expect(inputFor(' {"city": "Paris", "days": [1, 2]} ')).toEqual({
      city: 'Paris',
      days: [1, 2],
    });
  });

  it('cuts long invalid text to the bound and records its length', () => {
    const text = `{"text": "${'x'.repeat(10_000)}`;
    expect(inputFor(text)).toEqual({
      _invalid_arguments: text.slice(0, MAX_INVALID_ARGUMENTS_LENGTH),
      _original_length: text.length,
    });
  });

  it('never cuts a surrogate pair in half', () => {
    const text = 'x'.repeat(MAX_INVALID_ARGUMENTS_LENGTH - 1) + '😀 and more';
    expect(inputFor(text)).toEqual({
      _invalid_arguments: 'x'.repeat(MAX_INVALID_ARGUMENTS_LENGTH - 1),
      _original_length: text.length,
    });
  });

  it('sends arguments nested 5,000 levels deep as a marker the body can be serialised with', () => {
    const deep = '{"a":'.repeat(4999) + '{}' + '}'.repeat(4999);
    expect(inputFor(deep)).toEqual({
      _invalid_arguments: deep.slice(0, MAX_INVALID_ARGUMENTS_LENGTH),
      _original_length: deep.length,
    });
    const body = toMessagesBody(
      request([
        user('x'),
        { role: 'assistant', content: [], toolCalls: [{ id: 'd', name: 'f', arguments: deep }] },
      ]),
      options,
    );
    expect(JSON.parse(JSON.stringify(body))).toEqual(body);
  });

  it('sends arguments exactly 64 levels deep as parsed and 65 as a marker', () => {
    const nested = (depth: number) => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
    expect(inputFor(nested(64))).toEqual(JSON.parse(nested(64)));
    expect(inputFor(nested(65))).toEqual({ _invalid_arguments: nested(65) });
  });
});
