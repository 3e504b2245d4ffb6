import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../config/index.js';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { readSse, startTestServer, type TestServer } from './test-support/harness.js';

/** A loopback receiver that records every webhook body and its signature header. */
async function startReceiver() {
  const received: { body: string; signature: string | undefined; jobId: string | undefined }[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({
        body,
        signature: request.headers['rampart-signature'] as string | undefined,
        jobId: request.headers['rampart-job-id'] as string | undefined,
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const DOWN = [{ kind: 'status' as const, status: 503 }];
const SECRET = 'whsec-test-only';

let primary: UpstreamSimulator;
let backup: UpstreamSimulator;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let server: TestServer;

function config(): ConfigInput {
  const timeouts = { connectMs: 500, firstByteMs: 500, idleMs: 500 };
  return {
    providers: {
      primary: { type: 'openai', baseUrl: `${primary.url}/v1`, apiKey: 'sk-test', timeouts },
      backup: { type: 'anthropic', baseUrl: backup.url, apiKey: 'ak-test', timeouts },
    },
    models: {
      assistant: {
        provider: 'primary',
        model: 'rampart-sim-1',
        fallbacks: [{ provider: 'backup', model: 'rampart-sim-1' }],
      },
    },
    resilience: {
      retry: { maxAttempts: 1 },
      breaker: { enabled: false },
      degraded: {
        deferred: {
          pollMs: 50,
          retryDelayMs: 100,
          webhooks: { allowedOrigins: [receiver.url], secretEnv: 'WEBHOOK_SECRET' },
        },
      },
    },
  };
}

async function start(dataDir?: string) {
  return startTestServer({
    config: config(),
    keepData: true,
    env: { WEBHOOK_SECRET: SECRET },
    ...(dataDir === undefined ? {} : { dataDir }),
  });
}

function ask(key: string, content: string, headers: Record<string, string> = {}, stream = false) {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'assistant', stream, messages: [{ role: 'user', content }] }),
  });
}

function setDown(down: boolean) {
  primary.setFaults(down ? DOWN : []);
  backup.setFaults(down ? DOWN : []);
}

beforeAll(async () => {
  primary = await startUpstreamSimulator({ answerTokens: 12 });
  backup = await startUpstreamSimulator({ answerTokens: 12 });
  receiver = await startReceiver();
  server = await start();
});
afterAll(async () => {
  await server.close();
  await Promise.all([primary.close(), backup.close(), receiver.close()]);
});
afterEach(() => setDown(false));

describe('degraded mode: stored answers', () => {
  it('answers a repeated simple question from the stored answer, clearly marked', async () => {
    const key = await server.key('dora');
    const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: key, maxRetries: 0 });
    const live = await client.chat.completions.create({
      model: 'assistant',
      messages: [{ role: 'user', content: 'What is the capital of Peru?' }],
    });
    setDown(true);

    const response = await ask(key, 'What is the capital of Peru?');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-rampart-degraded')).toBe('cache');
    const body = (await response.json()) as any;
    expect(body.choices[0].message.content).toBe(live.choices[0]?.message.content);
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(body.rampart).toMatchObject({ degraded: 'cache' });
    expect(Date.parse(body.rampart.stored_at)).toBeGreaterThan(0);

    const streamed = await ask(key, 'What is the capital of Peru?', {}, true);
    expect(streamed.headers.get('x-rampart-degraded')).toBe('cache');
    const events = await readSse(streamed);
    const text = events
      .filter((event) => event.data !== '[DONE]')
      .map((event) => JSON.parse(event.data).choices[0]?.delta?.content ?? '')
      .join('');
    expect(text).toBe(live.choices[0]?.message.content);
    expect(events.at(-1)?.data).toBe('[DONE]');
  });

  it('serves nothing stored to another user, nor for a different question', async () => {
    const owner = await server.key('erin');
    const other = await server.key('frank');
    expect((await ask(owner, 'Name a primary colour')).status).toBe(200);
    setDown(true);
    const forOther = await ask(other, 'Name a primary colour');
    expect(forOther.status).toBe(503);
    expect(forOther.headers.get('x-rampart-degraded')).toBeNull();
    expect((await ask(owner, 'Name a secondary colour')).status).toBe(503);
  });

  it('never answers a complex request from a stored answer', async () => {
    const key = await server.key('gina');
    const question = 'Explain why the sky is blue, step by step';
    expect((await ask(key, question)).status).toBe(200);
    setDown(true);
    const response = await ask(key, question);
    expect(response.status).toBe(503);
  });
});

describe('degraded mode: deferred jobs', () => {
  it('refuses a webhook outside the allowed origins before running anything', async () => {
    const key = await server.key('hana');
    primary.reset();
    const response = await ask(key, 'hello', {
      prefer: 'respond-async',
      'rampart-webhook': 'http://127.0.0.1:1/hook',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.param).toBe('rampart-webhook');
    expect(primary.requests()).toHaveLength(0);
  });

  it('answers 503, not 202, when the client did not ask for deferral', async () => {
    const key = await server.key('ivan');
    setDown(true);
    const response = await ask(key, 'Compare two sorting algorithms step by step');
    expect(response.status).toBe(503);
  });

  it('queues a request while every provider is down, survives a restart, answers it once', async () => {
    const key = await server.key('jade');
    const question = 'Plan a three-day trip to Lisbon, step by step (job marker 7f3a)';
    setDown(true);
    const accepted = await ask(key, question, {
      prefer: 'respond-async',
      'rampart-webhook': `${receiver.url}/hooks/rampart`,
    });
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('preference-applied')).toBe('respond-async');
    const job = (await accepted.json()) as any;
    expect(job).toMatchObject({ object: 'rampart.job', status: 'queued', result: null });
    expect(accepted.headers.get('location')).toBe(`/v1/jobs/${job.id}`);

    const jobUrl = `${server.url}/v1/jobs/${job.id}`;
    const stranger = await server.key('kim');
    const hidden = await fetch(jobUrl, { headers: { authorization: `Bearer ${stranger}` } });
    expect(hidden.status).toBe(404);

    // The runner tries while the route is still down: the job stays queued.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const waiting = (await (
      await fetch(jobUrl, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as any;
    expect(['queued', 'running']).toContain(waiting.status);

    // Restart over the same data, then let the providers recover.
    const dataDir = server.dataDir;
    await server.close();
    server = await start(dataDir);
    primary.reset();
    backup.reset();
    setDown(false);

    let done: any;
    for (let poll = 0; poll < 100; poll++) {
      const response = await fetch(`${server.url}/v1/jobs/${job.id}`, {
        headers: { authorization: `Bearer ${key}` },
      });
      done = await response.json();
      if (done.status === 'succeeded') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(done.status).toBe('succeeded');
    expect(done.result.object).toBe('chat.completion');
    expect(done.result.choices[0].message.content).toContain('Simulated answer to');
    expect(done.result.choices[0].finish_reason).toBe('stop');

    // Exactly one upstream call answered it, and it stays answered once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const calls = [...primary.requests(), ...backup.requests()].filter((request) =>
      JSON.stringify(request.body).includes('job marker 7f3a'),
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]?.outcome).toBe('completed');

    // The webhook went out once, signed.
    for (let poll = 0; poll < 100 && receiver.received.length === 0; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(receiver.received).toHaveLength(1);
    const hook = receiver.received[0]!;
    expect(hook.jobId).toBe(job.id);
    const delivered = JSON.parse(hook.body);
    expect(delivered).toMatchObject({ id: job.id, status: 'succeeded' });
    expect(delivered.result.choices[0].message.content).toBe(
      done.result.choices[0].message.content,
    );
    const [t, v1] = (hook.signature ?? '').split(',').map((part) => part.split('=')[1]);
    const expected = createHmac('sha256', SECRET).update(`${t}.${hook.body}`).digest('hex');
    expect(v1).toBe(expected);
  });

  it('queues a session turn while the route is down and stores it once, when it runs', async () => {
    const key = await server.key('lars');
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
    const created = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({}),
    });
    const { id: sessionId } = (await created.json()) as { id: string };
    setDown(true);
    const accepted = await fetch(`${server.url}/v1/sessions/${sessionId}/messages`, {
      method: 'POST',
      headers: { ...headers, prefer: 'respond-async' },
      body: JSON.stringify({ content: 'Summarise the harbour report (session marker 5b1c)' }),
    });
    expect(accepted.status).toBe(202);
    const job = (await accepted.json()) as any;
    expect(job.kind).toBe('session.turn');
    const before = (await (
      await fetch(`${server.url}/v1/sessions/${sessionId}`, { headers })
    ).json()) as any;
    expect(before.messages).toEqual([]);

    setDown(false);
    let done: any;
    for (let poll = 0; poll < 100; poll++) {
      done = await (await fetch(`${server.url}/v1/jobs/${job.id}`, { headers })).json();
      if (done.status === 'succeeded' || done.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(done.status).toBe('succeeded');
    expect(done.result).toMatchObject({ object: 'session.turn', session_id: sessionId });
    expect(done.result.message.content).toContain('Simulated answer to');
    const after = (await (
      await fetch(`${server.url}/v1/sessions/${sessionId}`, { headers })
    ).json()) as any;
    expect(after.messages.map((message: any) => message.role)).toEqual(['user', 'assistant']);
    expect(after.messages[1].content).toBe(done.result.message.content);
  });
});
