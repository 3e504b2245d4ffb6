import { afterEach, expect, it } from 'vitest';
import { createManualClock } from '../contract/index.js';
import { MemoryBreakerStore } from '../memory/index.js';
import { describeWithRedis } from '../test-support/services.js';
import type { BreakerOutcome, BreakerPolicy, BreakerStore } from '../types.js';
import { openRedisState, type RedisState } from './open-redis-state.js';
import { deleteKeys, uniquePrefix } from './test-support/redis-harness.js';

const POLICY: BreakerPolicy = {
  windowMs: 10_000,
  minRequests: 4,
  failureRate: 0.5,
  openMs: 5_000,
  probeLeaseMs: 2_000,
};

/** A small seeded generator (mulberry32), so a failing sequence can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describeWithRedis('RedisBreakerStore', (url) => {
  const opened: { state: RedisState; prefix: string }[] = [];

  async function open(clock?: () => number) {
    const prefix = uniquePrefix();
    const state = await openRedisState({ url, keyPrefix: prefix, clock });
    opened.push({ state, prefix });
    return { breakers: state.breakers, client: state.client, prefix };
  }

  afterEach(async () => {
    for (const { state, prefix } of opened.splice(0)) {
      await deleteKeys(state.client, prefix);
      await state.close();
    }
  });

  it('keeps one key per breaker, in its own hash tag, with a TTL that ends when it stops mattering', async () => {
    const clock = createManualClock();
    const { breakers, client, prefix } = await open(clock.now);
    const key = `${prefix}breaker:{openai:gpt-4o}`;

    await breakers.admit('openai:gpt-4o', POLICY);
    expect(await client.exists(key)).toBe(0);

    await breakers.record('openai:gpt-4o', 'failure', POLICY, false);
    expect(await client.keys(`${prefix}*`)).toEqual([key]);
    // The manual clock starts on a whole second: the bucket leaves the window 10 s later.
    expect(await client.pttl(key)).toBeGreaterThan(9_000);
    expect(await client.pttl(key)).toBeLessThanOrEqual(10_000);

    await breakers.record('openai:gpt-4o', 'failure', { ...POLICY, minRequests: 2 }, false);
    // Open: 5 s closed to calls, then half-open for at most one window before it is forgotten.
    expect(await client.pttl(key)).toBeGreaterThan(14_000);
    expect(await client.pttl(key)).toBeLessThanOrEqual(15_000);

    clock.advance(5_000);
    await breakers.admit('openai:gpt-4o', POLICY);
    expect(await breakers.record('openai:gpt-4o', 'success', POLICY, true)).toBe('closed');
    expect(await client.exists(key)).toBe(0);
  });

  it("counts time by the server's clock when no test clock is set", async () => {
    const { breakers } = await open();
    for (let failure = 0; failure < 4; failure += 1) {
      await breakers.record('model', 'failure', POLICY, false);
    }

    const admission = await breakers.admit('model', POLICY);

    expect(admission).toMatchObject({ allowed: false, state: 'open' });
    const retryAfterMs = admission.allowed ? 0 : admission.retryAfterMs;
    expect(retryAfterMs).toBeGreaterThan(4_000);
    expect(retryAfterMs).toBeLessThanOrEqual(5_000);
  });

  it.each([1, 2, 3, 4, 5])(
    'answers exactly as the in-process rules over a random run (seed %i)',
    async (seed) => {
      const clock = createManualClock(Date.UTC(2026, 0, 1) + seed * 137);
      const { breakers: redis } = await open(clock.now);
      const memory = new MemoryBreakerStore({ now: clock.now });
      const next = random(seed);
      const pick = <T>(choices: readonly T[]): T => choices[Math.floor(next() * choices.length)]!;
      const policies = [POLICY, POLICY, { ...POLICY, windowMs: 7_003, minRequests: 2 }];
      const probes = new Map<string, boolean>();
      const seen = new Set<string>();

      for (let step = 0; step < 500; step += 1) {
        const id = pick(['a', 'b']);
        const policy = pick(policies);
        const operation = pick(['admit', 'admit', 'record', 'record', 'state'] as const);
        const outcome = pick<BreakerOutcome>(['failure', 'failure', 'success']);
        const probe = probes.get(id) === true && next() < 0.8;
        const run = (store: BreakerStore) => {
          if (operation === 'admit') return store.admit(id, policy);
          if (operation === 'state') return store.state(id, policy);
          return store.record(id, outcome, policy, probe);
        };
        const fromMemory = await run(memory);
        const fromRedis = await run(redis);

        expect({ step, answer: fromRedis }).toEqual({ step, answer: fromMemory });
        if (typeof fromMemory === 'object' && fromMemory.allowed) probes.set(id, fromMemory.probe);
        seen.add(JSON.stringify(fromMemory));
        clock.advance(pick([0, 0, 1, 250, 999, 1_000, 1_999, 2_000, 4_999, 5_000]));
      }

      // Every state, a probe and both kinds of refusal came up: the comparison meant something.
      const markers = [
        '"closed"',
        '"probe":true',
        '"state":"open","retryAfterMs"',
        '"state":"half-open","retryAfterMs"',
      ];
      const answers = [...seen].join(' ');
      expect(markers.filter((marker) => answers.includes(marker))).toEqual(markers);
    },
  );
});
