import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, startTestServer, type TestServer } from '../app/test-support/harness.js';
import { RampartError } from '../core/errors.js';
import type { TurnStage } from '../runtime/index.js';

let server: TestServer;
let alice: string;
let bob: string;

beforeAll(async () => {
  server = await startTestServer();
  alice = await server.key('alice');
  bob = await server.key('bob');
});
afterAll(() => server.close());

function api(key: string) {
  return async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method, headers: { authorization: `Bearer ${key}` } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { ...init.headers, 'content-type': 'application/json' };
    }
    return fetch(`${server.url}${path}`, init);
  };
}

async function newSession(key: string, base = server): Promise<string> {
  const response = await fetch(`${base.url}/v1/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const BOTH_TOOLS =
  'Please call calculator {"expression": "6*7"} and call current_time {"timezone": "Asia/Tokyo"}';

describe('session turns', () => {
  it('runs both tools and answers with both results', async () => {
    const id = await newSession(alice);
    const response = await api(alice)('POST', `/v1/sessions/${id}/messages`, {
      content: BOTH_TOOLS,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, any>;
    expect(body.finish_reason).toBe('stop');
    const [call, calculator, clock, answer] = body.messages;
    expect(call.tool_calls.map((tool: any) => tool.function.name)).toEqual([
      'calculator',
      'current_time',
    ]);
    expect(calculator).toMatchObject({ role: 'tool', tool_call_id: call.tool_calls[0].id });
    expect(JSON.parse(calculator.content)).toMatchObject({ result: 42 });
    expect(clock.content).toContain('Asia/Tokyo');
    expect(answer.role).toBe('assistant');
    expect(answer.content).toContain(calculator.content);
    expect(answer.content).toContain(clock.content);
    expect(body.usage.total_tokens).toBeGreaterThan(0);
  });

  it('streams tool start and end, text deltas and the turn end', async () => {
    const id = await newSession(alice);
    const response = await api(alice)('POST', `/v1/sessions/${id}/messages`, {
      content: BOTH_TOOLS,
      stream: true,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = await readSse(response);
    const names = events.map((event) => event.event);
    expect(names.filter((name) => name === 'tool-start')).toHaveLength(2);
    expect(names.filter((name) => name === 'tool-end')).toHaveLength(2);
    expect(names.at(-1)).toBe('turn-end');
    expect(names.indexOf('tool-end')).toBeLessThan(names.lastIndexOf('text-delta'));
    const ends = events
      .filter((event) => event.event === 'tool-end')
      .map((event) => JSON.parse(event.data));
    expect(ends.map((end) => [end.name, end.ok])).toEqual(
      expect.arrayContaining([
        ['calculator', true],
        ['current_time', true],
      ]),
    );
    expect(ends.every((end) => typeof end.duration_ms === 'number')).toBe(true);
    const text = events
      .filter((event) => event.event === 'text-delta')
      .map((event) => JSON.parse(event.data).text)
      .join('');
    const end = JSON.parse(events.at(-1)!.data);
    expect(end.message.content).toBe(text);
    expect(end.usage.completion_tokens).toBeGreaterThan(0);
    const stored = (await (await api(alice)('GET', `/v1/sessions/${id}`)).json()) as any;
    expect(stored.messages.map((message: any) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'tool',
      'assistant',
    ]);
  });

  it('feeds invalid tool arguments back to the model as an error result', async () => {
    const id = await newSession(alice);
    const response = await api(alice)('POST', `/v1/sessions/${id}/messages`, {
      content: 'call calculator {"expression": 42}',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    const result = body.messages[1];
    expect(result.is_error).toBe(true);
    expect(JSON.parse(result.content).error.code).toBe('RAMPART_TOOL_INVALID_ARGUMENTS');
    expect(body.message.role).toBe('assistant');
  });

  it('keeps sessions private: another user gets 404 for everything', async () => {
    const id = await newSession(alice);
    await api(alice)('POST', `/v1/sessions/${id}/messages`, { content: 'my codename is BLUE' });
    for (const [method, path, body] of [
      ['GET', `/v1/sessions/${id}`, undefined],
      ['POST', `/v1/sessions/${id}/messages`, { content: 'what is my codename?' }],
      ['DELETE', `/v1/sessions/${id}`, undefined],
    ] as const) {
      const response = await api(bob)(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(((await response.json()) as any).error.code).toBe('RAMPART_SESSION_NOT_FOUND');
    }
    const own = (await (await api(alice)('GET', `/v1/sessions/${id}`)).json()) as any;
    expect(own.messages).toHaveLength(2);
  });

  it('deletes a session', async () => {
    const id = await newSession(alice);
    expect((await api(alice)('DELETE', `/v1/sessions/${id}`)).status).toBe(200);
    expect((await api(alice)('GET', `/v1/sessions/${id}`)).status).toBe(404);
  });

  it('refuses a second turn on a busy session with 409 and keeps the history whole', async () => {
    const slow = await startTestServer({
      config: {
        providers: { simulated: { type: 'simulated', firstTokenMs: 300, tokensPerSecond: 0 } },
      },
    });
    try {
      const key = await slow.key('carol');
      const id = await newSession(key, slow);
      const send = (content: string) =>
        fetch(`${slow.url}/v1/sessions/${id}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content }),
        });
      const [first, second] = await Promise.all([send('one'), send('two')]);
      expect([first.status, second.status].sort()).toEqual([200, 409]);
      const refused = first.status === 409 ? first : second;
      expect(((await refused.json()) as any).error.code).toBe('RAMPART_SESSION_BUSY');
      expect(refused.headers.get('retry-after')).toBe('1');
      const after = await send('three');
      expect(after.status).toBe(200);
      const session = (await (
        await fetch(`${slow.url}/v1/sessions/${id}`, {
          headers: { authorization: `Bearer ${key}` },
        })
      ).json()) as any;
      expect(session.messages.map((message: any) => message.role)).toEqual([
        'user',
        'assistant',
        'user',
        'assistant',
      ]);
    } finally {
      await slow.close();
    }
  });
});

describe('a turn that fails after a completed tool step', () => {
  it('keeps the user message and the completed step, and reports the failure', async () => {
    // A stage that fails the second model call, as a provider outage between steps would.
    const failSecondStep: TurnStage = {
      name: 'fail-second-step',
      async *transform(_turn, events) {
        for await (const event of events) {
          if (event.type === 'step-start' && event.step === 2) {
            const error = new RampartError('RAMPART_UPSTREAM_UNAVAILABLE', 'provider went away');
            yield { type: 'error', error, beforeContent: false };
            return;
          }
          yield event;
        }
      },
    };
    const local = await startTestServer({ stages: [failSecondStep] });
    try {
      const key = await local.key('fay');
      const id = await newSession(key, local);
      const response = await fetch(`${local.url}/v1/sessions/${id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'call calculator {"expression": "3*3"}', stream: true }),
      });
      const events = await readSse(response);
      expect(events.map((event) => event.event)).toEqual(['tool-start', 'tool-end', 'error']);
      const session = (await (
        await fetch(`${local.url}/v1/sessions/${id}`, {
          headers: { authorization: `Bearer ${key}` },
        })
      ).json()) as any;
      expect(session.messages.map((message: any) => message.role)).toEqual([
        'user',
        'assistant',
        'tool',
      ]);
      expect(JSON.parse(session.messages[2].content)).toMatchObject({ result: 9 });
    } finally {
      await local.close();
    }
  });
});

describe('restart', () => {
  it('serves the same history after the server restarts', async () => {
    const first = await startTestServer({ keepData: true });
    const key = await first.key('dana');
    const id = await newSession(key, first);
    await fetch(`${first.url}/v1/sessions/${id}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: BOTH_TOOLS }),
    });
    const before = await (
      await fetch(`${first.url}/v1/sessions/${id}`, { headers: { authorization: `Bearer ${key}` } })
    ).json();
    await first.close();

    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const after = await (
        await fetch(`${second.url}/v1/sessions/${id}`, {
          headers: { authorization: `Bearer ${key}` },
        })
      ).json();
      expect(after).toEqual(before);
      expect((after as any).messages).toHaveLength(5);
    } finally {
      await second.close();
    }
  });
});

describe('http tools', () => {
  let toolServer: Server;
  let toolUrl: string;
  let inFlight = 0;
  let peak = 0;

  beforeAll(async () => {
    toolServer = createServer((request, response) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        setTimeout(() => {
          inFlight--;
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify({ echoed: JSON.parse(body), path: request.url }));
        }, 500);
      });
    });
    await new Promise<void>((resolve) => toolServer.listen(0, '127.0.0.1', resolve));
    toolUrl = `http://127.0.0.1:${(toolServer.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => toolServer.close(() => resolve())));

  it('runs three 500 ms tools of one model turn concurrently', async () => {
    const tool = (path: string) => ({
      description: 'slow lookup',
      parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] },
      handler: { type: 'http' as const, url: `${toolUrl}/${path}` },
    });
    const local = await startTestServer({
      config: {
        tools: { alpha: tool('a'), beta: tool('b'), gamma: tool('c') },
        authorization: { tools: { alpha: {}, beta: {}, gamma: {} } },
        assistants: { default: { model: 'rampart-sim-1', tools: ['alpha', 'beta', 'gamma'] } },
      },
    });
    try {
      const key = await local.key('erin');
      const id = await newSession(key, local);
      const started = performance.now();
      const response = await fetch(`${local.url}/v1/sessions/${id}/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          content: 'call alpha {"q":"1"} call beta {"q":"2"} call gamma {"q":"3"}',
        }),
      });
      const elapsed = performance.now() - started;
      const body = (await response.json()) as any;
      expect(response.status).toBe(200);
      expect(peak).toBe(3);
      // Sequential would be at least 1.5 s; concurrent is about 0.5 s plus overhead.
      expect(elapsed).toBeLessThan(1400);
      const results = body.messages
        .filter((message: any) => message.role === 'tool')
        .map((m: any) => JSON.parse(m.content));
      expect(results).toEqual([
        { echoed: { q: '1' }, path: '/a' },
        { echoed: { q: '2' }, path: '/b' },
        { echoed: { q: '3' }, path: '/c' },
      ]);
    } finally {
      await local.close();
    }
  });
});
