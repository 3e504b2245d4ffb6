import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { startTestServer, type TestServer } from './test-support/harness.js';

/** When a running tool saw its signal abort, and when it started. */
const toolRun = { startedAt: 0, abortedAt: 0 };
let started: () => void;
let toolStarted = new Promise<void>((resolve) => (started = resolve));

const slowTool = {
  name: 'slow_report',
  parameters: { type: 'object', properties: {} },
  timeoutMs: 30_000,
  policy: { roles: ['*'] },
  handler: (_args: unknown, context: { signal: AbortSignal }) =>
    new Promise((_resolve, reject) => {
      toolRun.startedAt = Date.now();
      started();
      context.signal.addEventListener('abort', () => {
        toolRun.abortedAt = Date.now();
        reject(new Error('aborted'));
      });
    }),
};

let simulator: UpstreamSimulator;
let server: TestServer;
let key: string;

beforeAll(async () => {
  simulator = await startUpstreamSimulator({ answerTokens: 40 });
  server = await startTestServer({
    tools: [slowTool],
    config: {
      providers: {
        upstream: { type: 'openai', baseUrl: `${simulator.url}/v1`, apiKey: 'sk-test' },
      },
      models: { remote: { provider: 'upstream', model: 'rampart-sim-1' } },
      assistants: { default: { model: 'remote', tools: ['slow_report'] } },
    },
  });
  key = await server.key('lena');
});
afterAll(async () => {
  await server.close();
  await simulator.close();
});

describe('a client that goes away', () => {
  it('has the upstream request cancelled within 100 ms', async () => {
    simulator.reset();
    simulator.setFaults([{ kind: 'slow-drip', intervalMs: 200, match: 'drip please' }]);
    const controller = new AbortController();
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'remote',
        stream: true,
        messages: [{ role: 'user', content: 'drip please' }],
      }),
    });
    const reader = response.body!.getReader();
    await reader.read();
    const abortedAt = Date.now();
    controller.abort();
    const [request] = await simulator.waitForRequests(1, { timeoutMs: 2_000 });
    expect(request?.outcome).toBe('cancelled');
    expect(request!.endedAt! - abortedAt).toBeLessThan(100);
    // Nothing was tried again after the client left.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(simulator.requests()).toHaveLength(1);
  });

  it('has a running server-side tool aborted within 100 ms', async () => {
    simulator.setFaults([]);
    const created = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    const { id } = (await created.json()) as { id: string };
    const controller = new AbortController();
    const turn = fetch(`${server.url}/v1/sessions/${id}/messages`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'call slow_report {}', stream: true }),
    });
    const response = await turn;
    const reader = response.body!.getReader();
    void reader.read().catch(() => undefined);
    await toolStarted;
    const abortedAt = Date.now();
    controller.abort();
    for (let poll = 0; poll < 100 && toolRun.abortedAt === 0; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(toolRun.abortedAt).toBeGreaterThan(0);
    expect(toolRun.abortedAt - abortedAt).toBeLessThan(100);
    toolStarted = new Promise<void>((resolve) => (started = resolve));
  });
});
