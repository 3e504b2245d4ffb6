import { Writable } from 'node:stream';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { createManualClock } from '../contract/index.js';
import { MemoryBreakerStore } from '../memory/index.js';
import { openRedisState, type RedisState } from '../redis/open-redis-state.js';
import { deleteKeys, uniquePrefix } from '../redis/test-support/redis-harness.js';
import { startTcpProxy, type TcpProxy } from '../redis/test-support/tcp-proxy.js';
import { describeWithRedis } from '../test-support/services.js';
import type { BreakerPolicy } from '../types.js';
import { FallbackBreakerStore } from './fallback-stores.js';
import { StateHealth } from './state-health.js';
import { waitFor, waitUntilAnswering } from '../redis/test-support/redis-waits.js';

const POLICY: BreakerPolicy = {
  windowMs: 10_000,
  minRequests: 2,
  failureRate: 0.5,
  openMs: 5_000,
  probeLeaseMs: 2_000,
};

describeWithRedis('FallbackBreakerStore', (url) => {
  let proxy: TcpProxy;
  let redis: RedisState;
  let prefix: string;
  let lines: Array<Record<string, unknown>>;
  let health: StateHealth;
  let local: MemoryBreakerStore;
  let breakers: FallbackBreakerStore;

  beforeEach(async () => {
    const target = new URL(url);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    prefix = uniquePrefix();
    const clock = createManualClock();
    redis = await openRedisState({
      url: proxy.url,
      keyPrefix: prefix,
      commandTimeoutMs: 200,
      clock: clock.now,
    });
    lines = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    health = new StateHealth(createLogger({ destination: sink }));
    local = new MemoryBreakerStore({ now: clock.now });
    breakers = new FallbackBreakerStore(redis.breakers, local, health);
  });

  afterEach(async () => {
    proxy.up();
    await waitUntilAnswering(() => redis.client.ping());
    await deleteKeys(redis.client, prefix);
    await redis.close();
    await proxy.close();
  });

  async function fail(times: number): Promise<string[]> {
    const states: string[] = [];
    for (let call = 0; call < times; call += 1) {
      states.push(await breakers.record('model', 'failure', POLICY, false));
    }
    return states;
  }

  it('keeps the breaker in Redis while Redis answers', async () => {
    expect(await fail(2)).toEqual(['closed', 'open']);

    expect(await redis.breakers.state('model', POLICY)).toBe('open');
    expect(await local.state('model', POLICY)).toBe('closed');
    expect(health.snapshot()).toEqual({ degraded: [], counts: {} });
  });

  it('answers from this instance while Redis is down, says so, and returns to Redis', async () => {
    expect(await fail(2)).toEqual(['closed', 'open']);
    proxy.down();
    await waitFor(() => redis.client.status !== 'ready');

    expect(await breakers.admit('model', POLICY)).toEqual({
      allowed: true,
      state: 'closed',
      probe: false,
    });
    expect(await fail(2)).toEqual(['closed', 'open']);
    expect(await breakers.state('model', POLICY)).toBe('open');
    expect(health.snapshot()).toEqual({
      degraded: ['breakers'],
      counts: { breakers: { failures: 4, fallbacks: 4 } },
    });
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 40, concern: 'breakers', failures: 1 }),
    );

    proxy.up();
    await waitUntilAnswering(() => redis.client.ping());
    expect(await breakers.record('other', 'failure', POLICY, false)).toBe('closed');
    expect(health.snapshot().degraded).toEqual([]);
    expect(await redis.breakers.state('other', POLICY)).toBe('closed');
    expect(await local.state('other', POLICY)).toBe('closed');
  });

  it('throws bad input as the defect it is, without counting it against Redis', async () => {
    proxy.down();

    await expect(breakers.admit('', POLICY)).rejects.toMatchObject({ code: 'RAMPART_INTERNAL' });
    await expect(
      breakers.record('model', 'failure', { ...POLICY, failureRate: Number.NaN }, false),
    ).rejects.toMatchObject({ code: 'RAMPART_INTERNAL' });
    await expect(breakers.state('model', { ...POLICY, openMs: 0 })).rejects.toMatchObject({
      code: 'RAMPART_INTERNAL',
    });

    expect(health.snapshot()).toEqual({ degraded: [], counts: {} });
  });
});
