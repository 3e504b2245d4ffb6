import { afterEach, beforeEach, expect, it } from 'vitest';
import { isRampartError, type RampartError } from '../../core/index.js';
import { describeWithRedis } from '../test-support/services.js';
import { openRedisState, type RedisState } from './open-redis-state.js';
import { reconnectDelay } from './redis-connection.js';
import { deleteKeys, uniquePrefix } from './test-support/redis-harness.js';
import {
  closedPort,
  startSilentServer,
  startTcpProxy,
  type TcpProxy,
} from './test-support/tcp-proxy.js';
import { waitFor, waitUntilAnswering } from './test-support/redis-waits.js';

const budget = { limit: 100, windowMs: 60_000, cost: 1 };

async function rejection(work: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  try {
    await work;
  } catch (error) {
    return { error, ms: performance.now() - started };
  }
  throw new Error('expected a rejection');
}

it('backs off between reconnection attempts, up to 2 s', () => {
  expect([1, 2, 3, 4, 5, 6, 7, 20].map(reconnectDelay)).toEqual([
    50, 100, 200, 400, 800, 1_600, 2_000, 2_000,
  ]);
});

it('refuses to open when nothing listens, without waiting', async () => {
  const port = await closedPort();

  const { error, ms } = await rejection(openRedisState({ url: `redis://127.0.0.1:${port}` }));

  expect(isRampartError(error, 'RAMPART_STATE_UNAVAILABLE')).toBe(true);
  expect((error as Error).message).toMatch(
    /^Cannot connect to Redis at 127\.0\.0\.1:\d+: .*ECONNREFUSED/,
  );
  expect(ms).toBeLessThan(1_000);
});

it('refuses to open when the server never becomes ready', async () => {
  const silent = await startSilentServer();
  try {
    const { error, ms } = await rejection(
      openRedisState({ url: silent.url, connectTimeoutMs: 300 }),
    );

    expect(isRampartError(error, 'RAMPART_STATE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(
      /^Cannot connect to Redis at 127\.0\.0\.1:\d+: not ready after 300 ms$/,
    );
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(1_500);
  } finally {
    await silent.close();
  }
});

describeWithRedis('a Redis that stalls or goes away', (url) => {
  let proxy: TcpProxy;
  let state: RedisState;
  let prefix: string;

  beforeEach(async () => {
    const target = new URL(url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    prefix = uniquePrefix();
    state = await openRedisState({ url: proxy.url, keyPrefix: prefix, commandTimeoutMs: 200 });
  });

  afterEach(async () => {
    proxy.resume();
    proxy.up();
    await waitUntilAnswering(() =>
      state.rateLimits.take('probe', { limit: 1_000, windowMs: 1_000, cost: 0 }),
    );
    await deleteKeys(state.client, prefix);
    await state.close();
    await proxy.close();
  });

  it('rejects a command that gets no answer within the command timeout', async () => {
    expect((await state.rateLimits.take('rpm:alice', budget)).allowed).toBe(true);
    proxy.stall();

    const { error, ms } = await rejection(state.rateLimits.take('rpm:alice', budget));

    expect(isRampartError(error, 'RAMPART_STATE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toMatch(/Command timed out/);
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(1_000);
  });

  it('fails at once while Redis is away and works again when it returns', async () => {
    expect((await state.slots.tryAcquire('pool', slotRequest('w1')))?.id).toBe('w1');
    proxy.down();
    await waitFor(() => state.client.status !== 'ready');

    const { error, ms } = await rejection(state.slots.inUse('pool'));
    expect(isRampartError(error, 'RAMPART_STATE_UNAVAILABLE')).toBe(true);
    expect((error as RampartError).retryable).toBe(true);
    expect(ms).toBeLessThan(100);

    proxy.up();
    await waitUntilAnswering(() =>
      state.rateLimits.take('probe', { limit: 1_000, windowMs: 1_000, cost: 0 }),
    );
    expect(await state.slots.inUse('pool')).toBe(1);
  });
});

function slotRequest(waiter: string) {
  return { limit: 1, waiter, user: 'alice', leaseMs: 30_000, waiterTtlMs: 10_000 };
}
