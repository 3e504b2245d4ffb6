import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeWithRedis } from '../test-support/services.js';
import { openRedisState, type RedisState } from './open-redis-state.js';
import { rateLimitKey, sessionKeys, slotKeys } from './keys.js';
import { deleteKeys, uniquePrefix } from './test-support/redis-harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** These tests use the server's TIME (no test clock) and real key expiry, with short windows. */
describeWithRedis('Redis stores on the server clock', (url) => {
  let state: RedisState;
  let prefix: string;

  beforeEach(async () => {
    prefix = uniquePrefix();
    state = await openRedisState({
      url,
      keyPrefix: prefix,
      slotMarkRetentionMs: 1_000,
      sessionIdleTtlMs: 1_000,
    });
  });

  afterEach(async () => {
    await deleteKeys(state.client, prefix);
    await state.close();
  });

  it('refills a budget as the server clock moves', async () => {
    const burst = { limit: 2, windowMs: 400, cost: 1 };
    await state.rateLimits.take('rps:alice', burst);
    await state.rateLimits.take('rps:alice', burst);

    const refused = await state.rateLimits.take('rps:alice', burst);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(100);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(200);

    await sleep(refused.retryAfterMs + 10);
    expect((await state.rateLimits.take('rps:alice', burst)).allowed).toBe(true);
  });

  it('lets a budget key expire when the budget is whole again', async () => {
    const key = rateLimitKey(prefix, 'rps:alice');
    const result = await state.rateLimits.take('rps:alice', { limit: 4, windowMs: 1_000, cost: 1 });

    const ttl = await state.client.pttl(key);
    expect(ttl).toBeGreaterThan(200);
    expect(ttl).toBeLessThanOrEqual(result.resetAfterMs);

    await state.rateLimits.adjust('rps:alice', { limit: 4, windowMs: 1_000, delta: -1 });
    expect(await state.client.exists(key)).toBe(0);
  });

  it('gives a crashed holder’s slot back after its lease, by the server clock', async () => {
    const ask = { limit: 1, user: 'alice', leaseMs: 150, waiterTtlMs: 1_000 };
    const slot = await state.slots.tryAcquire('pool', { ...ask, waiter: 'w1' });
    expect(slot).toBeDefined();
    expect(await state.slots.tryAcquire('pool', { ...ask, waiter: 'w2' })).toBeUndefined();

    await sleep(200);

    expect(await state.slots.inUse('pool')).toBe(0);
    expect((await state.slots.tryAcquire('pool', { ...ask, waiter: 'w2' }))?.id).toBe('w2');
  });

  it('keeps a pool’s keys only while its slots, waiters and marks matter', async () => {
    const ask = { limit: 1, user: 'alice', leaseMs: 2_000, waiterTtlMs: 500 };
    await state.slots.tryAcquire('pool', { ...ask, waiter: 'w1' });
    await state.slots.tryAcquire('pool', { ...ask, waiter: 'w2' });

    const [held, , waiters] = slotKeys(prefix, 'pool');
    // Until the lease ends (2 s) plus the mark retention (1 s).
    for (const key of [held!, waiters!]) {
      const ttl = await state.client.pttl(key);
      expect(ttl).toBeGreaterThan(2_500);
      expect(ttl).toBeLessThanOrEqual(3_000);
    }

    await state.slots.leave('pool', 'w2');
    await state.slots.release('pool', 'w1');
    await state.slots.release('pool', 'missing');
    const ttl = await state.client.pttl(slotKeys(prefix, 'pool')[5]!);
    expect(ttl).toBeGreaterThan(400);
    expect(ttl).toBeLessThanOrEqual(1_000);
  });

  it('lets an idle session’s keys expire, counting again from each commit', async () => {
    const { id } = await state.sessions.create('alice', { assistant: 'a' });
    const [meta, messages] = sessionKeys(prefix, 'alice', id);
    expect(await state.client.pttl(meta)).toBeGreaterThan(800);

    await sleep(500);
    const lease = await state.sessions.beginTurn('alice', id, { leaseMs: 1_000 });
    if (typeof lease !== 'object') throw new Error(`no lease: ${lease}`);
    await state.sessions.commitTurn('alice', id, lease.token, [{ role: 'system', content: 'x' }]);
    for (const key of [meta, messages]) {
      expect(await state.client.pttl(key)).toBeGreaterThan(800);
    }

    await sleep(600);
    expect((await state.sessions.get('alice', id))?.messages).toHaveLength(1);
    await sleep(500);
    expect(await state.sessions.get('alice', id)).toBeUndefined();
    expect(await state.client.exists(meta, messages)).toBe(0);
  });

  it('lets the next turn in once a lease runs out by the server clock', async () => {
    const { id } = await state.sessions.create('alice', { assistant: 'a' });
    const stale = await state.sessions.beginTurn('alice', id, { leaseMs: 100 });
    if (typeof stale !== 'object') throw new Error(`no lease: ${stale}`);
    expect(await state.sessions.beginTurn('alice', id, { leaseMs: 100 })).toBe('busy');

    await sleep(150);

    expect(typeof (await state.sessions.beginTurn('alice', id, { leaseMs: 5_000 }))).toBe('object');
    expect(await state.sessions.commitTurn('alice', id, stale.token, [])).toBe('lease-lost');
  });
});
