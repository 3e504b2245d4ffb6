import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../app/test-support/harness.js';
import type { ConfigInput } from '../config/index.js';

const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function serverWith(config: ConfigInput) {
  const server = await startTestServer({ config });
  servers.push(server);
  return server;
}

function simulated(options: { tokensPerSecond?: number; answerTokens?: number } = {}) {
  return {
    simulated: {
      type: 'simulated' as const,
      firstTokenMs: 0,
      tokensPerSecond: options.tokensPerSecond ?? 0,
      answerTokens: options.answerTokens ?? 5,
    },
  };
}

function chat(server: TestServer, key: string, content = 'hi', stream = false) {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'rampart-sim-1', stream, messages: [{ role: 'user', content }] }),
  });
}

describe('per-user request rate', () => {
  it('admits the limit, then answers 429 with Retry-After and headers, streaming or not', async () => {
    const server = await serverWith({
      providers: simulated(),
      limits: { default: { requestsPerMinute: 3 }, queue: { maxWaitMs: 0 } },
    });
    const key = await server.key('alice');
    const remaining: string[] = [];
    for (let index = 0; index < 3; index++) {
      const response = await chat(server, key);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-ratelimit-limit-requests')).toBe('3');
      remaining.push(response.headers.get('x-ratelimit-remaining-requests')!);
      await response.text();
    }
    expect(remaining).toEqual(['2', '1', '0']);
    for (const stream of [false, true]) {
      const refused = await chat(server, key, 'hi', stream);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('3');
      expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(refused.headers.get('x-ratelimit-reset-requests')).toBe(
        `${refused.headers.get('retry-after')}s`,
      );
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('RAMPART_RATE_LIMITED');
      expect(body.error.message).toContain('please try again in a moment');
    }
    const other = await server.key('bob');
    expect((await chat(server, other)).status).toBe(200);
  });

  it('refuses for tokens with the token headers, and gives the request back', async () => {
    const server = await serverWith({
      // A slow answer holds the first request's reservation while the second asks.
      providers: simulated({ tokensPerSecond: 20, answerTokens: 20 }),
      limits: {
        default: { requestsPerMinute: 10, tokensPerMinute: 1_500 },
        queue: { maxWaitMs: 0 },
      },
    });
    const key = await server.key('alice');
    const first = chat(server, key);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await chat(server, key);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-ratelimit-limit-tokens')).toBe('1500');
    expect(refused.headers.get('x-ratelimit-remaining-tokens')).toBe('0');
    // The refused request took none of the ten: only the first one's is gone.
    expect(refused.headers.get('x-ratelimit-limit-requests')).toBe('10');
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('9');
    expect((await first).status).toBe(200);
  });

  it('takes limits from the tier, and a key override wins over it', async () => {
    const server = await serverWith({
      providers: simulated(),
      limits: {
        default: { requestsPerMinute: 1 },
        tiers: { premium: { requestsPerMinute: 5 } },
        queue: { maxWaitMs: 0 },
      },
    });
    const premium = await server.rampart.keys.create({
      userId: 'carol',
      role: 'user',
      tier: 'premium',
      permissions: [],
    });
    const response = await chat(server, premium.key);
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('5');
    await response.text();
  });
});

describe('global cap on model calls', () => {
  it('holds excess requests in line instead of failing them', async () => {
    const server = await serverWith({
      providers: simulated({ tokensPerSecond: 50, answerTokens: 10 }),
      limits: { global: { maxConcurrentModelCalls: 1 }, queue: { maxWaitMs: 5_000 } },
    });
    const key = await server.key('alice');
    const statuses = await Promise.all(
      [1, 2, 3].map(() => chat(server, key).then((r) => r.status)),
    );
    expect(statuses).toEqual([200, 200, 200]);
  });

  it('answers 429 when the wait runs out, and gives back the request budget (P29)', async () => {
    const server = await serverWith({
      providers: simulated({ tokensPerSecond: 20, answerTokens: 20 }),
      limits: {
        default: { requestsPerMinute: 2 },
        global: { maxConcurrentModelCalls: 1 },
        queue: { maxWaitMs: 100 },
      },
    });
    const key = await server.key('alice');
    const first = chat(server, key, 'long answer please');
    await new Promise((resolve) => setTimeout(resolve, 150));
    const refused = await chat(server, key);
    expect(refused.status).toBe(429);
    expect((await first).status).toBe(200);
    // The refused request never reached the model, so it did not use up the budget.
    expect((await chat(server, key)).status).toBe(200);
  });

  it('releases slots on upstream errors and client disconnects (P29)', async () => {
    const server = await serverWith({
      providers: simulated(),
      limits: { global: { maxConcurrentModelCalls: 1 }, queue: { maxWaitMs: 2_000 } },
    });
    const key = await server.key('alice');
    for (let index = 0; index < 3; index++) {
      const failed = await chat(server, key, 'hi [[sim-fault kind=status code=500]]');
      expect(failed.status).toBe(502);
    }
    const controller = new AbortController();
    const hanging = fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      signal: controller.signal,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'rampart-sim-1',
        messages: [{ role: 'user', content: 'hi [[sim-fault kind=hang-before-first-byte]]' }],
      }),
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort();
    await hanging;
    const started = performance.now();
    expect((await chat(server, key)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('serves one user’s single request soon, not behind another user’s burst', async () => {
    const server = await serverWith({
      providers: simulated({ tokensPerSecond: 100, answerTokens: 5 }),
      limits: { global: { maxConcurrentModelCalls: 2 }, queue: { maxWaitMs: 30_000 } },
    });
    const [alice, bob] = [await server.key('alice'), await server.key('bob')];
    const finished: string[] = [];
    const burst = Array.from({ length: 30 }, (_, index) =>
      chat(server, alice, `burst ${index}`).then(async (response) => {
        await response.text();
        finished.push('alice');
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const single = chat(server, bob, 'just one').then(async (response) => {
      expect(response.status).toBe(200);
      await response.text();
      finished.push('bob');
    });
    await Promise.all([...burst, single]);
    // Each call takes about 50 ms and two run at once: bob must not wait for the 30 of alice.
    expect(finished.indexOf('bob')).toBeLessThan(8);
  });
});
