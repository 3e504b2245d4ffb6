import { describe, expect, it } from 'vitest';
import {
  createManualClock,
  describeBreakerStoreContract,
  describeBudgetStoreContract,
  describeRateLimitStoreContract,
  describeSlotStoreContract,
  type ContractHarness,
} from '../contract/index.js';
import { MemoryBreakerStore } from './memory-breaker-store.js';
import { MemoryBudgetStore } from './memory-budget-store.js';
import { MemoryRateLimitStore } from './memory-rate-limit-store.js';
import { MemorySlotStore } from './memory-slot-store.js';

function harness<S>(open: (now: () => number) => S): Promise<ContractHarness<S>> {
  const clock = createManualClock();
  return Promise.resolve({
    store: open(clock.now),
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    close: () => Promise.resolve(),
  });
}

describeRateLimitStoreContract('memory', () => harness((now) => new MemoryRateLimitStore({ now })));
describeSlotStoreContract('memory', () => harness((now) => new MemorySlotStore({ now })));
describeBreakerStoreContract('memory', () => harness((now) => new MemoryBreakerStore({ now })));
describeBudgetStoreContract('memory', () => harness((now) => new MemoryBudgetStore({ now })));

describe('MemoryRateLimitStore', () => {
  it('sweeps out budgets that are whole again', async () => {
    const clock = createManualClock();
    const limits = new MemoryRateLimitStore({ now: clock.now });
    const budget = { limit: 10, windowMs: 1_000, cost: 1 };
    for (let user = 0; user < 100; user += 1) await limits.take(`rpm:${user}`, budget);
    expect(limits.size).toBe(100);

    clock.advance(60_000);
    await limits.take('rpm:late', budget);

    expect(limits.size).toBe(1);
  });

  it('keeps a budget that is still drawn down through a sweep', async () => {
    const clock = createManualClock();
    const limits = new MemoryRateLimitStore({ now: clock.now });
    const hourly = { limit: 2, windowMs: 3_600_000, cost: 1 };
    await limits.take('rph:alice', hourly);
    await limits.take('rph:alice', hourly);

    clock.advance(60_000);
    await limits.take('rph:bob', hourly);

    expect(limits.size).toBe(2);
    expect((await limits.take('rph:alice', hourly)).allowed).toBe(false);
  });

  it('keeps counting exactly when the limit changes between takes', async () => {
    const clock = createManualClock();
    const limits = new MemoryRateLimitStore({ now: clock.now });
    await limits.take('tpm:alice', { limit: 3, windowMs: 1_000, cost: 1 });

    const result = await limits.take('tpm:alice', { limit: 6, windowMs: 1_000, cost: 1 });

    // The first take's 333 1/3 ms are two units at the new rate; with this one, 500 ms drawn.
    expect(result).toEqual({ allowed: true, remaining: 3, retryAfterMs: 0, resetAfterMs: 500 });
  });
});

describe('MemorySlotStore', () => {
  const ask = { limit: 1, user: 'alice', leaseMs: 5_000, waiterTtlMs: 5_000 };

  it('drops pools once nothing is held, nobody waits and no marks remain', async () => {
    const clock = createManualClock();
    const slots = new MemorySlotStore({ now: clock.now, markRetentionMs: 1_000 });
    for (let key = 0; key < 20; key += 1) {
      await slots.tryAcquire(`key:${key}`, { ...ask, waiter: 'w1' });
      await slots.release(`key:${key}`, 'w1');
    }
    await slots.tryAcquire('key:held', { ...ask, waiter: 'w1', leaseMs: 600_000 });
    await slots.tryAcquire('key:held', { ...ask, waiter: 'w2', waiterTtlMs: 600_000 });
    expect(slots.size).toBe(21);

    clock.advance(60_000);
    await slots.inUse('key:0');

    expect(slots.size).toBe(1);
    expect(await slots.inUse('key:held')).toBe(1);
  });

  it('refuses a retention that is not a positive integer', () => {
    expect(() => new MemorySlotStore({ markRetentionMs: 0 })).toThrow(
      'markRetentionMs must be a positive integer.',
    );
  });
});

describe('MemoryBreakerStore', () => {
  const policy = {
    windowMs: 10_000,
    minRequests: 2,
    failureRate: 0.5,
    openMs: 5_000,
    probeLeaseMs: 1_000,
  };

  it('keeps at most one bucket per tenth of the window, however many outcomes come in', async () => {
    const clock = createManualClock();
    const breakers = new MemoryBreakerStore({ now: clock.now });
    for (let step = 0; step < 1_000; step += 1) {
      await breakers.record('model', 'success', policy, false);
      clock.advance(97);
    }

    expect(breakers.buckets).toBe(10);
    expect(breakers.size).toBe(1);
  });

  it('sweeps out breakers nobody has used for long, and keeps the others', async () => {
    const clock = createManualClock();
    const breakers = new MemoryBreakerStore({ now: clock.now });
    for (let model = 0; model < 50; model += 1) {
      await breakers.record(`closed:${model}`, 'success', policy, false);
    }
    await breakers.record('open', 'failure', policy, false);
    await breakers.record('open', 'failure', policy, false);
    await breakers.record('long', 'failure', { ...policy, windowMs: 600_000 }, false);
    expect(breakers.size).toBe(52);

    clock.advance(60_000);
    await breakers.admit('late', policy);

    expect(breakers.size).toBe(1);
    expect(await breakers.state('long', { ...policy, windowMs: 600_000 })).toBe('closed');
    expect(await breakers.record('long', 'failure', { ...policy, windowMs: 600_000 }, false)).toBe(
      'open',
    );
  });

  it('drops a breaker whose probe succeeded: a closed, empty breaker takes no memory', async () => {
    const clock = createManualClock();
    const breakers = new MemoryBreakerStore({ now: clock.now });
    await breakers.record('model', 'failure', policy, false);
    await breakers.record('model', 'failure', policy, false);
    clock.advance(5_000);
    await breakers.admit('model', policy);
    expect(breakers.size).toBe(1);

    expect(await breakers.record('model', 'success', policy, true)).toBe('closed');
    expect(breakers.size).toBe(0);
  });
});
