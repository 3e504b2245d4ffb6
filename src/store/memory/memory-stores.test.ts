import { describe, expect, it } from 'vitest';
import {
  createManualClock,
  describeRateLimitStoreContract,
  describeSlotStoreContract,
  type ContractHarness,
} from '../contract/index.js';
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
