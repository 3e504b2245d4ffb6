import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../config/index.js';
import { OwnRedis } from './test-support/own-redis.js';
import { startTestServer, type TestServer } from './test-support/harness.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(onFailure: {
  rateLimits: 'local' | 'fail-closed';
  concurrency: 'local' | 'fail-closed';
}) {
  const redis = await OwnRedis.start();
  cleanups.push(() => redis.stop());
  const config: ConfigInput = {
    providers: {
      simulated: { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 0, answerTokens: 3 },
    },
    state: {
      backend: 'redis',
      url: redis.url,
      keyPrefix: `outage-${randomBytes(3).toString('hex')}:`,
      commandTimeoutMs: 300,
      onFailure,
    },
    limits: { default: { requestsPerMinute: 1000 }, global: { maxConcurrentModelCalls: 4 } },
  };
  const server = await startTestServer({ config });
  cleanups.push(() => server.close());
  return { redis, server, key: await server.key('alice') };
}

async function timedChat(server: TestServer, key: string) {
  const started = performance.now();
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'rampart-sim-1', messages: [{ role: 'user', content: 'hi' }] }),
  });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, code: body.error?.code, ms: performance.now() - started };
}

async function readiness(server: TestServer) {
  const response = await fetch(`${server.url}/readyz`);
  return (await response.json()) as { state: { degraded: string[] } };
}

describe('when Redis goes away', () => {
  it('falls back to per-instance limits, never hangs, and recovers when Redis returns', async () => {
    const { redis, server, key } = await setup({ rateLimits: 'local', concurrency: 'local' });
    expect((await timedChat(server, key)).status).toBe(200);
    await redis.stop();
    const during = await Promise.all(Array.from({ length: 5 }, () => timedChat(server, key)));
    for (const outcome of during) {
      expect(outcome.status).toBe(200);
      expect(outcome.ms).toBeLessThan(3_000);
    }
    expect((await readiness(server)).state.degraded).toEqual(
      expect.arrayContaining(['rateLimits', 'concurrency']),
    );
    await redis.resume();
    let recovered = false;
    for (let attempt = 0; attempt < 60 && !recovered; attempt++) {
      await timedChat(server, key);
      recovered = (await readiness(server)).state.degraded.length === 0;
      if (!recovered) await sleep(100);
    }
    expect(recovered).toBe(true);
  });

  it('refuses with 503 under fail-closed, quickly, and serves again when Redis returns', async () => {
    const { redis, server, key } = await setup({
      rateLimits: 'fail-closed',
      concurrency: 'fail-closed',
    });
    await redis.stop();
    const refused = await timedChat(server, key);
    expect(refused).toMatchObject({ status: 503, code: 'RAMPART_STATE_UNAVAILABLE' });
    expect(refused.ms).toBeLessThan(3_000);
    // Sessions live in Redis: they cannot be served from anywhere else, so they fail closed too.
    const session = await fetch(`${server.url}/v1/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(session.status).toBe(503);
    expect(((await session.json()) as { error: { code: string } }).error.code).toBe(
      'RAMPART_STATE_UNAVAILABLE',
    );
    await redis.resume();
    let status = 0;
    for (let attempt = 0; attempt < 60 && status !== 200; attempt++) {
      status = (await timedChat(server, key)).status;
      if (status !== 200) await sleep(100);
    }
    expect(status).toBe(200);
  });
});
