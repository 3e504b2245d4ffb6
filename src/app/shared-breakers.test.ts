import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../config/index.js';
import { describeWithRedis } from '../store/test-support/services.js';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { startTestServer, type TestServer } from './test-support/harness.js';

function chat(server: TestServer, key: string, content: string) {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'flaky', messages: [{ role: 'user', content }] }),
  });
}

async function readiness(server: TestServer) {
  return (await (await fetch(`${server.url}/readyz`)).json()) as {
    breakers: Record<string, string>;
  };
}

describeWithRedis('circuit breakers shared through Redis', (redisUrl) => {
  let simulator: UpstreamSimulator;
  let first: TestServer;
  let second: TestServer;

  beforeAll(async () => {
    simulator = await startUpstreamSimulator({ answerTokens: 6 });
    const config: ConfigInput = {
      state: {
        backend: 'redis',
        url: redisUrl,
        keyPrefix: `rampart-test:${randomBytes(4).toString('hex')}:`,
      },
      providers: {
        upstream: { type: 'openai', baseUrl: `${simulator.url}/v1`, apiKey: 'sk-test' },
      },
      models: { flaky: { provider: 'upstream', model: 'rampart-sim-1' } },
      resilience: {
        retry: { maxAttempts: 1 },
        breaker: { minRequests: 2, failureRate: 0.5, openMs: 60_000, windowMs: 10_000 },
        degraded: { cache: { enabled: false } },
      },
    };
    [first, second] = await Promise.all([startTestServer({ config }), startTestServer({ config })]);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close()]);
    await simulator.close();
  });

  it('opens on one instance and skips the target on the other with no upstream attempt', async () => {
    simulator.setFaults([{ kind: 'status', status: 503 }]);
    const firstKey = await first.key('mia');
    const secondKey = await second.key('mia');
    expect((await chat(first, firstKey, 'one')).status).toBe(503);
    expect((await chat(first, firstKey, 'two')).status).toBe(503);
    expect(simulator.requests()).toHaveLength(2);
    expect((await readiness(first)).breakers).toEqual({ 'upstream/rampart-sim-1': 'open' });

    simulator.setFaults([]);
    const skipped = await chat(second, secondKey, 'three');
    expect(skipped.status).toBe(503);
    expect(Number(skipped.headers.get('retry-after'))).toBeGreaterThan(50);
    const body = (await skipped.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RAMPART_PROVIDERS_UNAVAILABLE');
    expect(body.error.message).toContain('upstream/rampart-sim-1: circuit open');
    expect(simulator.requests()).toHaveLength(2);
    expect((await readiness(second)).breakers).toEqual({ 'upstream/rampart-sim-1': 'open' });
  });
});

describe('readiness with breakers', () => {
  it('lists no breaker while every target is healthy', async () => {
    const server = await startTestServer();
    try {
      const key = await server.key('nora');
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'rampart-sim-1',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-rampart-served-by')).toBe('simulated/rampart-sim-1');
      expect(await readiness(server)).toMatchObject({ breakers: {} });
    } finally {
      await server.close();
    }
  });
});
