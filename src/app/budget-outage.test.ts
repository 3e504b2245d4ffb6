import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../store/redis/test-support/tcp-proxy.js';
import { describeWithRedis } from '../store/test-support/services.js';
import { startTestServer, type TestServer } from './test-support/harness.js';

describeWithRedis('budgets while Redis is down', (redisUrl) => {
  let proxy: TcpProxy;
  let server: TestServer;
  let capped: string;
  let free: string;

  beforeAll(async () => {
    const { hostname, port } = new URL(redisUrl);
    proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) });
    server = await startTestServer({
      config: {
        state: {
          backend: 'redis',
          url: proxy.url,
          keyPrefix: `rampart-test:${randomBytes(6).toString('hex')}:`,
          commandTimeoutMs: 300,
        },
        budgets: {
          daily: { scope: 'user', window: 'day', cost: 10, appliesTo: { users: ['alice'] } },
        },
      },
    });
    capped = await server.key('alice');
    free = await server.key('bob');
  });

  afterAll(async () => {
    await server.close();
    await proxy.close();
  });

  async function chat(key: string) {
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'rampart-sim-1', messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = (await response.json()) as { error?: { code: string } };
    return { status: response.status, code: body.error?.code };
  }

  it('refuses turns under a budget with 503 and serves the others', async () => {
    expect(await chat(capped)).toEqual({ status: 200, code: undefined });
    proxy.down();
    try {
      expect(await chat(capped)).toEqual({ status: 503, code: 'RAMPART_STATE_UNAVAILABLE' });
      expect(await chat(free)).toEqual({ status: 200, code: undefined });
    } finally {
      proxy.up();
    }
    // Once Redis answers again, so do budgeted turns.
    const deadline = Date.now() + 10_000;
    let last = await chat(capped);
    while (last.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = await chat(capped);
    }
    expect(last).toEqual({ status: 200, code: undefined });
  });
});
