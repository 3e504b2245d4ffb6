import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { startTestServer, type TestServer } from './test-support/harness.js';

let upstream: UpstreamSimulator;
let server: TestServer;

beforeAll(async () => {
  upstream = await startUpstreamSimulator({ answerTokens: 30 });
  server = await startTestServer({
    config: {
      providers: { up: { type: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: 'sk-test' } },
      models: { assistant: { provider: 'up', model: 'rampart-sim-1' } },
      resilience: {
        retry: { maxAttempts: 1 },
        breaker: { enabled: false },
        degraded: { cache: { enabled: false }, deferred: { pollMs: 50, retryDelayMs: 100 } },
      },
      // About one answer's worth: what one job spends leaves too little for a second.
      budgets: {
        chat: { scope: 'conversation', window: 'conversation', tokens: 50, onExhausted: 'error' },
      },
    },
  });
});
afterAll(async () => {
  await server.close();
  await upstream.close();
});

async function deferred(key: string, conversation: string): Promise<string> {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      prefer: 'respond-async',
      'x-rampart-conversation': conversation,
    },
    body: JSON.stringify({ model: 'assistant', messages: [{ role: 'user', content: 'hello' }] }),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function settled(key: string, id: string): Promise<any> {
  for (;;) {
    const response = await fetch(`${server.url}/v1/jobs/${id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const job = (await response.json()) as any;
    if (job.status === 'succeeded' || job.status === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a deferred chat completion and its conversation budget', () => {
  it('counts the jobs against the conversation the requests named', async () => {
    const key = await server.key('olga');
    upstream.setFaults([{ kind: 'status', status: 503 }]);
    const first = await deferred(key, 'trip-plan');
    const second = await deferred(key, 'trip-plan');
    upstream.setFaults([]);

    const jobs = [await settled(key, first), await settled(key, second)];
    expect(jobs.map((job) => job.status).sort()).toEqual(['failed', 'succeeded']);
    const failed = jobs.find((job) => job.status === 'failed');
    expect(failed.error.code).toBe('RAMPART_BUDGET_EXHAUSTED');
  });
});
