import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readSse, startTestServer, type TestServer } from '../app/test-support/harness.js';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';

let simulator: UpstreamSimulator;
let server: TestServer;
let key: string;
let client: OpenAI;

const timeouts = { connectMs: 1000, firstByteMs: 800, idleMs: 800 };

beforeAll(async () => {
  simulator = await startUpstreamSimulator({ answerTokens: 12 });
  server = await startTestServer({
    config: {
      providers: {
        upstreamOpenai: {
          type: 'openai',
          baseUrl: `${simulator.url}/v1`,
          apiKey: 'sk-test',
          timeouts,
        },
        upstreamAnthropic: {
          type: 'anthropic',
          baseUrl: simulator.url,
          apiKey: 'ak-test',
          timeouts,
        },
        // Port 9 (discard) has no listener here: every call to it is refused at once.
        deadOpenai: {
          type: 'openai',
          baseUrl: 'http://127.0.0.1:9/v1',
          apiKey: 'sk-test',
          timeouts,
        },
      },
      models: {
        'via-openai': { provider: 'upstreamOpenai', model: 'rampart-sim-1' },
        'via-anthropic': { provider: 'upstreamAnthropic', model: 'rampart-sim-1' },
        'anthropic-then-openai': {
          provider: 'upstreamAnthropic',
          model: 'rampart-sim-1',
          fallbacks: [{ provider: 'upstreamOpenai', model: 'rampart-sim-1' }],
        },
        'dead-then-anthropic': {
          provider: 'deadOpenai',
          model: 'rampart-sim-1',
          fallbacks: [{ provider: 'upstreamAnthropic', model: 'rampart-sim-1' }],
        },
      },
      assistants: {
        default: { model: 'via-openai', tools: ['calculator', 'current_time'] },
        claude: { model: 'via-anthropic', tools: ['calculator', 'current_time'] },
      },
    },
  });
  key = await server.key('alice');
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 });
});
afterAll(async () => {
  await server.close();
  await simulator.close();
});
beforeEach(() => simulator.reset());

const tools: OpenAI.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } },
];

async function runSession(assistant: string, content: string) {
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const created = await fetch(`${server.url}/v1/sessions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ assistant }),
  });
  const { id } = (await created.json()) as { id: string };
  const response = await fetch(`${server.url}/v1/sessions/${id}/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ content }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe.each([
  ['via-openai', 'default', '/v1/chat/completions'],
  ['via-anthropic', 'claude', '/v1/messages'],
])('through the %s HTTP provider', (model, assistant, upstreamPath) => {
  it('answers the same text streamed and not, with usage', async () => {
    const messages = [{ role: 'user' as const, content: 'Describe the harbour' }];
    const whole = await client.chat.completions.create({ model, messages });
    const stream = await client.chat.completions.create({
      model,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(whole.choices[0]!.message.content);
    expect(text).toContain('harbour');
    expect(usage?.completion_tokens).toBe(12);
    expect(whole.usage?.completion_tokens).toBe(12);
    expect(simulator.stats().byPath[upstreamPath]).toBe(2);
  });

  it('relays parallel tool calls the client declared', async () => {
    const stream = client.chat.completions.stream({
      model,
      tools,
      messages: [{ role: 'user', content: 'call lookup {"id": 1} call lookup {"id": 2}' }],
    });
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]!.message.tool_calls!;
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(
      calls.map((call) => call.type === 'function' && JSON.parse(call.function.arguments)),
    ).toEqual([{ id: 1 }, { id: 2 }]);
  });

  it('runs a session turn with two server tools through the provider', async () => {
    const { status, body } = await runSession(
      assistant,
      'call calculator {"expression": "2^10"} call current_time {"timezone": "UTC"}',
    );
    expect(status).toBe(200);
    const results = body.messages.filter((message: any) => message.role === 'tool');
    expect(results).toHaveLength(2);
    expect(JSON.parse(results[0].content)).toMatchObject({ result: 1024 });
    expect(body.message.content).toContain(results[0].content);
    const upstream = simulator.requests().filter((request) => request.path === upstreamPath);
    expect(upstream).toHaveLength(2);
    const second = upstream[1]!.body as any;
    if (upstreamPath === '/v1/messages') {
      // Both tool results go back in one user message, straight after the tool_use turn.
      const last = second.messages.at(-1);
      expect(last.role).toBe('user');
      expect(last.content.map((block: any) => block.type)).toEqual(['tool_result', 'tool_result']);
    } else {
      expect(second.messages.slice(-2).map((message: any) => message.role)).toEqual([
        'tool',
        'tool',
      ]);
      expect(second.stream_options).toEqual({ include_usage: true });
    }
  });
});

describe('upstream failures as the client sees them', () => {
  it('passes a 429 with Retry-After through before any content', async () => {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'via-openai',
        stream: true,
        messages: [
          { role: 'user', content: 'hi [[sim-fault kind=status code=429 retry-after=3]]' },
        ],
      }),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(((await response.json()) as any).error.code).toBe('RAMPART_UPSTREAM_RATE_LIMITED');
  });

  it('answers 504 when the upstream sends nothing before the first-byte timeout', async () => {
    const started = performance.now();
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'via-anthropic',
        messages: [{ role: 'user', content: 'hi [[sim-fault kind=hang-before-first-byte]]' }],
      }),
    });
    expect(response.status).toBe(504);
    expect(((await response.json()) as any).error.code).toBe('RAMPART_UPSTREAM_TIMEOUT');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it.each(['via-openai', 'via-anthropic'])(
    'never reports a stream cut mid-answer as complete (%s)',
    async (model) => {
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model,
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'hi [[sim-fault kind=cut-mid-stream after=5]]' }],
        }),
      });
      expect(response.status).toBe(200);
      const events = await readSse(response);
      const data = events.map((event) => event.data);
      expect(data).not.toContain('[DONE]');
      const chunks = data.map((payload) => JSON.parse(payload));
      expect(chunks.some((chunk) => chunk.choices?.[0]?.delta?.content)).toBe(true);
      expect(chunks.some((chunk) => chunk.choices?.[0]?.finish_reason)).toBe(false);
      expect(chunks.at(-1).error.code).toBe('RAMPART_UPSTREAM_STREAM_TRUNCATED');
    },
  );

  it.each(['via-openai', 'via-anthropic'])(
    'completes a slow stream that outlasts the idle timeout overall, never gap by gap (P39, %s)',
    async (model) => {
      const started = performance.now();
      const stream = await client.chat.completions.create({
        model,
        stream: true,
        messages: [{ role: 'user', content: 'hi [[sim-fault kind=slow-drip interval=120]]' }],
      });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      // About 15 events 120 ms apart: well past the 800 ms idle timeout in total.
      expect(performance.now() - started).toBeGreaterThan(1000);
      expect(text.split(' ').filter(Boolean)).toHaveLength(12);
    },
  );

  it.each(['via-openai', 'via-anthropic'])(
    'ends a stream that goes quiet mid-answer with a timeout error event (P39, %s)',
    async (model) => {
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model,
          stream: true,
          messages: [{ role: 'user', content: 'hi [[sim-fault kind=hang-mid-stream after=4]]' }],
        }),
      });
      const data = (await readSse(response)).map((event) => event.data);
      expect(data).not.toContain('[DONE]');
      expect(JSON.parse(data.at(-1)!).error.code).toBe('RAMPART_UPSTREAM_TIMEOUT');
      expect(
        data.slice(0, -1).some((payload) => JSON.parse(payload).choices[0].delta.content),
      ).toBe(true);
      expect(simulator.stats().inFlight).toBe(0);
    },
  );
});

describe('failed session turns', () => {
  async function history(id: string) {
    const response = await fetch(`${server.url}/v1/sessions/${id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return ((await response.json()) as any).messages as Array<{ role: string }>;
  }

  async function turn(id: string, content: string) {
    return fetch(`${server.url}/v1/sessions/${id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content, stream: true }),
    });
  }

  async function newSession(assistant: string) {
    const response = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ assistant }),
    });
    return ((await response.json()) as { id: string }).id;
  }

  it('answers with a status and stores nothing when the model fails inside its tool calls', async () => {
    const id = await newSession('claude');
    const response = await turn(
      id,
      'call calculator {"expression": "2^10"} [[sim-fault kind=in-band-error after=5]]',
    );
    expect(response.status).toBe(503);
    expect(((await response.json()) as any).error.code).toBe('RAMPART_UPSTREAM_UNAVAILABLE');
    expect(await history(id)).toEqual([]);
  });

  it('stores nothing when the stream breaks after some text, so a retry is not a duplicate', async () => {
    const id = await newSession('default');
    const response = await turn(id, 'tell me [[sim-fault kind=cut-mid-stream after=11]]');
    const events = await readSse(response);
    expect(events.some((event) => event.event === 'text-delta')).toBe(true);
    expect(events.at(-1)!.event).toBe('error');
    expect(await history(id)).toEqual([]);
    expect((await turn(id, 'tell me again')).status).toBe(200);
    expect((await history(id)).map((message) => message.role)).toEqual(['user', 'assistant']);
  });
});

describe('isolation between users', () => {
  it('never sends one user’s turns upstream with another user’s request', async () => {
    const bob = await server.key('bob');
    const headers = (secret: string) => ({
      authorization: `Bearer ${secret}`,
      'content-type': 'application/json',
    });
    const open = async (secret: string) =>
      (
        (await (
          await fetch(`${server.url}/v1/sessions`, {
            method: 'POST',
            headers: headers(secret),
            body: '{}',
          })
        ).json()) as any
      ).id as string;
    const [aliceSession, bobSession] = await Promise.all([open(key), open(bob)]);
    const say = (secret: string, id: string, content: string) =>
      fetch(`${server.url}/v1/sessions/${id}/messages`, {
        method: 'POST',
        headers: headers(secret),
        body: JSON.stringify({ content }),
      }).then((response) => response.status);
    const statuses = await Promise.all([
      say(key, aliceSession, 'remember my codename is BLUE-HERON'),
      say(bob, bobSession, 'what is my codename?'),
      say(bob, bobSession, 'still there?').catch(() => 0),
    ]);
    expect(statuses, JSON.stringify(statuses)).toContain(200);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(2);
    await say(bob, bobSession, 'and now?');
    const bobBodies = simulator
      .requests()
      .map((request) => JSON.stringify(request.body))
      .filter((body) => body.includes('what is my codename'));
    expect(bobBodies.length).toBeGreaterThan(0);
    for (const body of bobBodies) expect(body).not.toContain('BLUE-HERON');
  });
});

describe("the client's end-user id", () => {
  it.each([
    ['via-openai', '/v1/chat/completions', { user: 'end-user-42' }],
    ['via-anthropic', '/v1/messages', { metadata: { user_id: 'end-user-42' } }],
  ])('reaches %s as its format names it', async (model, path, expected) => {
    await client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'Hello' }],
      user: 'end-user-42',
    });
    const [sent] = simulator.requests().filter((request) => request.path === path);
    expect(sent?.body).toMatchObject(expected);
  });

  it('is refused when longer than 256 characters, before anything is sent', async () => {
    const refused = client.chat.completions.create({
      model: 'via-openai',
      messages: [{ role: 'user', content: 'Hello' }],
      user: 'u'.repeat(257),
    });
    await expect(refused).rejects.toMatchObject({ status: 400, error: { param: 'user' } });
    expect(simulator.requests()).toEqual([]);
  });
});

describe('the answer format and sampling options a client asks for', () => {
  const schema = {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  };

  it('reach an OpenAI-format upstream as the client sent them', async () => {
    await client.chat.completions.create({
      model: 'via-openai',
      messages: [{ role: 'user', content: 'Which city hosts the Louvre?' }],
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema, strict: true } },
      presence_penalty: 0.4,
      frequency_penalty: 0.2,
      logit_bias: { '1734': -50 },
    });
    const [sent] = simulator
      .requests()
      .filter((request) => request.path === '/v1/chat/completions');
    expect(sent?.body).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'city', schema, strict: true } },
      presence_penalty: 0.4,
      frequency_penalty: 0.2,
      logit_bias: { '1734': -50 },
    });
  });

  it('are refused for an Anthropic-format model before anything is sent', async () => {
    const refused = client.chat.completions.create({
      model: 'via-anthropic',
      messages: [{ role: 'user', content: 'Which city hosts the Louvre?' }],
      response_format: { type: 'json_object' },
    });
    await expect(refused).rejects.toMatchObject({
      status: 400,
      error: { code: 'RAMPART_INVALID_REQUEST', param: 'response_format' },
    });
    expect(simulator.requests()).toEqual([]);
  });

  it('pass over an Anthropic-format target for the next one that can answer', async () => {
    const response = await client.chat.completions
      .create({
        model: 'anthropic-then-openai',
        messages: [{ role: 'user', content: 'Which city hosts the Louvre?' }],
        response_format: { type: 'json_object' },
      })
      .withResponse();
    expect(response.response.headers.get('x-rampart-served-by')).toBe(
      'upstreamOpenai/rampart-sim-1',
    );
    const paths = simulator.requests().map((request) => request.path);
    expect(paths).toEqual(['/v1/chat/completions']);
  });

  it('are no sign of a route down when every target refuses them: no deferred job', async () => {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        prefer: 'respond-async',
      },
      body: JSON.stringify({
        model: 'via-anthropic',
        messages: [{ role: 'user', content: 'Which city hosts the Louvre?' }],
        response_format: { type: 'json_object' },
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error).toMatchObject({ param: 'response_format' });
  });

  it('tell a route that is down from a request no target could answer', async () => {
    const down = client.chat.completions.create({
      model: 'dead-then-anthropic',
      messages: [{ role: 'user', content: 'Which city hosts the Louvre?' }],
      response_format: { type: 'json_object' },
    });
    await expect(down).rejects.toMatchObject({
      status: 503,
      error: { code: 'RAMPART_PROVIDERS_UNAVAILABLE' },
    });
    expect(simulator.requests()).toEqual([]);
  });

  it('ask for log probabilities, which are not returned, and get a clear refusal', async () => {
    const refused = client.chat.completions.create({
      model: 'via-openai',
      messages: [{ role: 'user', content: 'hi' }],
      logprobs: true,
    });
    await expect(refused).rejects.toMatchObject({
      status: 400,
      error: { code: 'RAMPART_INVALID_REQUEST', param: 'logprobs' },
    });
  });
});
