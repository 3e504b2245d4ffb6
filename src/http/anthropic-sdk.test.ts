import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, startTestServer, type TestServer } from '../app/test-support/harness.js';

/*
 * `POST /v1/messages` read by the official Anthropic SDK: what it assembles from our answers is
 * what real Anthropic clients pointed at Rampart will get.
 */

let server: TestServer;
let client: Anthropic;
let aliceKey: string;

const WEATHER: Anthropic.Tool[] = [
  {
    name: 'get_weather',
    input_schema: { type: 'object', properties: { city: { type: 'string' } } },
  },
];
const TWO_CALLS = 'call get_weather {"city": "Paris"} and call get_weather {"city": "Oslo"}';

beforeAll(async () => {
  server = await startTestServer({
    config: {
      providers: {
        simulated: { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 50, answerTokens: 20 },
      },
      server: { bodyLimitBytes: 64 * 1024 },
    },
  });
  aliceKey = await server.key('alice');
  client = new Anthropic({ baseURL: server.url, apiKey: aliceKey, maxRetries: 0 });
});
afterAll(() => server.close());

async function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': aliceKey, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function errorOf(response: Response) {
  return (await response.json()) as {
    type: string;
    error: { type: string; message: string; code: string; param: string | null };
  };
}

describe('the official anthropic client', () => {
  it('lists the models and reads one', async () => {
    const models = [];
    for await (const model of client.models.list()) models.push(model);
    expect(models.map((model) => [model.type, model.id, model.display_name])).toEqual([
      ['model', 'rampart-sim-1', 'rampart-sim-1'],
    ]);
    expect(Number.isNaN(Date.parse(models[0]!.created_at))).toBe(false);
    expect((await client.models.retrieve('rampart-sim-1')).id).toBe('rampart-sim-1');
  });

  it('gets a whole message with usage, for the model it named', async () => {
    const message = await client.messages.create({
      model: 'rampart-sim-1',
      max_tokens: 100,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'Tell me about lighthouses' }],
    });
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'rampart-sim-1',
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(message.id).toMatch(/^msg_/);
    expect(message.content).toHaveLength(1);
    const [block] = message.content;
    expect(block!.type === 'text' && block.text.split(' ').length).toBeGreaterThan(10);
    expect(message.usage.output_tokens).toBe(20);
    expect(message.usage.input_tokens).toBeGreaterThan(0);
  });

  it('streams text as it is produced, and ends with the same message as a whole answer', async () => {
    const request = {
      model: 'rampart-sim-1',
      max_tokens: 100,
      messages: [{ role: 'user' as const, content: 'Tell me about lighthouses' }],
    };
    const stream = client.messages.stream(request);
    const arrivals: number[] = [];
    const types: string[] = [];
    stream.on('streamEvent', (event) => {
      types.push(event.type);
      if (event.type === 'content_block_delta') arrivals.push(performance.now());
    });
    const streamed = await stream.finalMessage();
    const whole = await client.messages.create(request);

    // 20 tokens at 50 per second take about 400 ms: the first delta comes long before the last.
    expect(arrivals.length).toBeGreaterThan(5);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(150);
    expect(types.slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(streamed.content).toEqual(whole.content);
    expect(streamed.stop_reason).toBe('end_turn');
    // The prompt's count is not known at `message_start`; `message_delta` carries it.
    expect(streamed.usage.input_tokens).toBe(whole.usage.input_tokens);
    expect(streamed.usage.output_tokens).toBe(20);

    // The SDK does not pass `ping` on; on the wire it follows `message_start`, as Anthropic's does.
    const raw = await readSse(await post({ ...request, stream: true }));
    expect(raw.slice(0, 3).map((event) => event.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
    ]);
  });

  it('stops at a stop sequence and says which, streamed or not', async () => {
    const ask = {
      model: 'rampart-sim-1',
      max_tokens: 100,
      messages: [{ role: 'user' as const, content: 'Tell me about harbours' }],
    };
    const free = await client.messages.create(ask);
    const text = free.content[0]?.type === 'text' ? free.content[0].text : '';
    const word = text.split(' ')[8]!;
    const before = text.slice(0, text.indexOf(word));
    const stopped = { ...ask, stop_sequences: ['no such words here', word] };
    for (const message of [
      await client.messages.create(stopped),
      await client.messages.stream(stopped).finalMessage(),
    ]) {
      expect(message.stop_reason).toBe('stop_sequence');
      expect(message.stop_sequence).toBe(word);
      expect(message.content.map((block) => (block.type === 'text' ? block.text : ''))).toEqual([
        before,
      ]);
    }
    expect(free.stop_sequence).toBeNull();
  });

  it('receives the tool calls of tools it declared, streamed or not, and answers them', async () => {
    const ask = {
      model: 'rampart-sim-1',
      max_tokens: 200,
      tools: WEATHER,
      messages: [{ role: 'user' as const, content: TWO_CALLS }],
    };
    const whole = await client.messages.create(ask);
    expect(whole.stop_reason).toBe('tool_use');
    const uses = whole.content.filter((block) => block.type === 'tool_use');
    expect(uses.map((block) => block.input)).toEqual([{ city: 'Paris' }, { city: 'Oslo' }]);

    const streamed = await client.messages.stream(ask).finalMessage();
    const calls = streamed.content.filter((block) => block.type === 'tool_use');
    expect(streamed.stop_reason).toBe('tool_use');
    expect(calls.map((block) => [block.name, block.input])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_weather', { city: 'Oslo' }],
    ]);
    expect(new Set(calls.map((block) => block.id)).size).toBe(2);

    const answer = await client.messages.create({
      ...ask,
      messages: [
        { role: 'user', content: TWO_CALLS },
        { role: 'assistant', content: streamed.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: calls[0]!.id, content: 'sunny, 21 C' },
            { type: 'tool_result', tool_use_id: calls[1]!.id, content: 'snow, -3 C' },
          ],
        },
      ],
    });
    const text = answer.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(answer.stop_reason).toBe('end_turn');
    expect(text).toContain('sunny, 21 C');
    expect(text).toContain('snow, -3 C');
  });

  it('sees a wrong key, an unknown model and a bad field as the SDK error classes', async () => {
    const stranger = new Anthropic({ baseURL: server.url, apiKey: 'rk_wrong', maxRetries: 0 });
    const ask = { max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };
    await expect(stranger.messages.create({ model: 'rampart-sim-1', ...ask })).rejects.toThrow(
      Anthropic.AuthenticationError,
    );
    await expect(client.messages.create({ model: 'no-such-model', ...ask })).rejects.toThrow(
      Anthropic.NotFoundError,
    );
    const bad = client.messages.create({ model: 'rampart-sim-1', ...ask, max_tokens: -1 });
    await expect(bad).rejects.toThrow(Anthropic.BadRequestError);
  });

  it('reads the request id of answers, streams and errors where it looks for it', async () => {
    const ask = { max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] };
    const whole = await client.messages.create({ model: 'rampart-sim-1', ...ask });
    expect(whole._request_id).toMatch(/^req_/);
    const stream = client.messages.stream({ model: 'rampart-sim-1', ...ask });
    await stream.finalMessage();
    expect(stream.request_id).toMatch(/^req_/);
    const stranger = new Anthropic({ baseURL: server.url, apiKey: 'rk_wrong', maxRetries: 0 });
    const failed = await stranger.messages
      .create({ model: 'rampart-sim-1', ...ask })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((failed as InstanceType<typeof Anthropic.APIError>).requestID).toMatch(/^req_/);
  });
});

describe('POST /v1/messages and the output guard', () => {
  it('watches every system block for leaks, not only the first', async () => {
    const secret =
      'The internal discount code for unhappy customers is HARBOUR-SEVEN-TEAL, and it may be ' +
      'given only to members who complained twice this month about late deliveries.';
    // The simulated model repeats a tool result: here, the second block of the system prompt.
    const ask = {
      model: 'rampart-sim-1',
      max_tokens: 200,
      tools: WEATHER,
      system: [
        { type: 'text' as const, text: 'You are the support assistant of Example Corp.' },
        { type: 'text' as const, text: secret },
      ],
      messages: [
        { role: 'user' as const, content: 'look it up' },
        {
          role: 'assistant' as const,
          content: [{ type: 'tool_use' as const, id: 'toolu_1', name: 'get_weather', input: {} }],
        },
        {
          role: 'user' as const,
          content: [{ type: 'tool_result' as const, tool_use_id: 'toolu_1', content: secret }],
        },
      ],
    };
    for (const message of [
      await client.messages.create(ask),
      await client.messages.stream(ask).finalMessage(),
    ]) {
      const text = message.content
        .map((block) => (block.type === 'text' ? block.text : ''))
        .join('');
      expect(message.stop_reason).toBe('refusal');
      expect(text).toContain("I can't share my instructions.");
      expect(text).not.toContain('SEVEN-TEAL');
    }
  });
});

describe('POST /v1/messages errors', () => {
  it("answers in Anthropic's error shape, with Rampart's code and param beside", async () => {
    const response = await post({ model: 'rampart-sim-1', messages: [] });
    expect(response.status).toBe(400);
    const body = await errorOf(response);
    expect(body.type).toBe('error');
    expect(body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'RAMPART_INVALID_REQUEST',
      param: 'max_tokens',
    });
    expect(body.error.message).toContain('max_tokens');
  });

  it('names the failure before the handler too: a bad key, bad JSON, a body too large', async () => {
    const unauthorised = await post({}, { 'x-api-key': 'rk_nobody' });
    expect(unauthorised.status).toBe(401);
    expect((await errorOf(unauthorised)).error).toMatchObject({
      type: 'authentication_error',
      code: 'RAMPART_UNAUTHORIZED',
    });

    const garbled = await post('{"model": "rampart-sim-1", "messages": [');
    expect(garbled.status).toBe(400);
    expect((await errorOf(garbled)).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'RAMPART_INVALID_JSON',
    });

    const huge = await post({
      model: 'rampart-sim-1',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'x'.repeat(80 * 1024) }],
    });
    expect(huge.status).toBe(413);
    expect((await errorOf(huge)).error).toMatchObject({
      type: 'request_too_large',
      code: 'RAMPART_BODY_TOO_LARGE',
    });
  });

  it('answers paths next to the route in the same shape: 405, 404, a trailing slash', async () => {
    const headers = { 'x-api-key': aliceKey };
    const wrongMethod = await fetch(`${server.url}/v1/messages`, { headers });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect((await errorOf(wrongMethod)).error).toMatchObject({
      type: 'invalid_request_error',
      code: 'RAMPART_METHOD_NOT_ALLOWED',
    });
    for (const path of ['/v1/messages/', '/v1/messages/batches']) {
      const response = await fetch(`${server.url}${path}`, { method: 'POST', headers });
      expect(response.status, path).toBe(404);
      const body = await errorOf(response);
      expect(body.type).toBe('error');
      expect(body.error).toMatchObject({ type: 'not_found_error', code: 'RAMPART_NOT_FOUND' });
      expect(body.error.message).not.toContain('not allowed');
    }
  });

  it('refuses hostile shapes by the exact field: deep nesting, wrong roles, bad blocks', async () => {
    let deep: unknown = 'x';
    for (let level = 0; level < 200; level++) deep = { nested: deep };
    const cases: Array<[unknown, string]> = [
      [
        {
          model: 'rampart-sim-1',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'hi' }],
          tools: [{ name: 't', input_schema: { type: 'object', properties: { a: deep } } }],
        },
        'tools[0].input_schema',
      ],
      [
        { model: 'rampart-sim-1', max_tokens: 10, messages: [{ role: 'system', content: 'hi' }] },
        'messages[0].role',
      ],
      [
        {
          model: 'rampart-sim-1',
          max_tokens: 10,
          messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'url' } }] }],
        },
        'messages[0].content[0].source.url',
      ],
      [{ model: 42, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }, 'model'],
      [
        {
          model: 'rampart-sim-1',
          max_tokens: 10,
          messages: [
            {
              role: 'user',
              content: [
                { type: 'text', text: 'what is this?' },
                { type: 'image', source: { type: 'base64', media_type: 'image/svg', data: 'AA' } },
              ],
            },
          ],
        },
        'messages[0].content[1].source.media_type',
      ],
    ];
    for (const [body, param] of cases) {
      const response = await post(body);
      expect(response.status, param).toBe(400);
      expect((await errorOf(response)).error.param).toBe(param);
    }
  });

  it('ends a stream that failed after content with an error event and no message_stop', async () => {
    const response = await post({
      model: 'rampart-sim-1',
      max_tokens: 100,
      stream: true,
      messages: [
        { role: 'user', content: 'Tell me a story [[sim-fault kind=cut-mid-stream after=3]]' },
      ],
    });
    expect(response.status).toBe(200);
    const events = await readSse(response);
    const names = events.map((event) => event.event);
    expect(names[0]).toBe('message_start');
    expect(names).toContain('content_block_delta');
    expect(names.at(-1)).toBe('error');
    expect(names).not.toContain('message_stop');
    const last = JSON.parse(events.at(-1)!.data) as { type: string; error: { type: string } };
    expect(last).toMatchObject({ type: 'error', error: { type: 'api_error' } });
  });

  it('fails a model refusal before any content with a status, not a stream', async () => {
    const response = await post({
      model: 'rampart-sim-1',
      max_tokens: 10,
      stream: true,
      messages: [{ role: 'user', content: 'hi [[sim-fault kind=status code=429 retry-after=1]]' }],
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('1');
    expect((await errorOf(response)).error.type).toBe('rate_limit_error');
  });
});

describe('POST /v1/messages under concurrency', () => {
  it('keeps every user to their own answer', async () => {
    const users = ['carol', 'dave', 'erin', 'frank'];
    const clients = await Promise.all(
      users.map(async (user) => {
        const apiKey = await server.key(user);
        return new Anthropic({ baseURL: server.url, apiKey, maxRetries: 0 });
      }),
    );
    const asks = clients.flatMap((each, index) =>
      [0, 1, 2, 3, 4].map(async (round) => {
        const content = `call get_weather {"city": "${users[index]}-${round}"}`;
        const ask = { model: 'rampart-sim-1', max_tokens: 50, tools: WEATHER };
        const message =
          round % 2 === 0
            ? await each.messages.create({ ...ask, messages: [{ role: 'user', content }] })
            : await each.messages
                .stream({ ...ask, messages: [{ role: 'user', content }] })
                .finalMessage();
        const use = message.content.find((block) => block.type === 'tool_use');
        return [`${users[index]}-${round}`, use?.type === 'tool_use' ? use.input : undefined];
      }),
    );
    for (const [expected, input] of await Promise.all(asks)) {
      expect(input).toEqual({ city: expected });
    }
  });
});
