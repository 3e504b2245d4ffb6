import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Slot, SlotRequest, SlotStore } from '../types.js';
import {
  requireCapability,
  type ContractCapabilities,
  type ContractHarness,
  type HarnessFactory,
} from './harness.js';

const POOL = 'model:large';

/**
 * How long an idle user's last-served mark is kept; harnesses open slot stores with this
 * default (60 s) so the suite can observe it.
 */
export const CONTRACT_MARK_RETENTION_MS = 60_000;

function request(waiter: string, user: string, overrides: Partial<SlotRequest> = {}): SlotRequest {
  return { limit: 1, waiter, user, leaseMs: 30_000, waiterTtlMs: 10_000, ...overrides };
}

const pause = () => new Promise((resolve) => setImmediate(resolve));

/** The behaviour every SlotStore backend must show: bounded slots and a fair line. */
export function describeSlotStoreContract(
  name: string,
  factory: HarnessFactory<SlotStore>,
  capabilities: ContractCapabilities = {},
): void {
  describe(`SlotStore contract: ${name}`, () => {
    let harness: ContractHarness<SlotStore>;
    let slots: SlotStore;

    beforeEach(async () => {
      harness = await factory();
      slots = harness.store;
    });
    afterEach(() => harness.close());

    /** Each waiter asks once, in the given order; returns the waiters that got a slot. */
    async function pollInOrder(waiters: [string, string][], limit = 1): Promise<string[]> {
      const granted: string[] = [];
      for (const [waiter, user] of waiters) {
        const slot = await slots.tryAcquire(POOL, request(waiter, user, { limit }));
        if (slot) granted.push(slot.id);
      }
      return granted;
    }

    async function mustAcquire(waiter: string, user: string, limit = 1): Promise<Slot> {
      const slot = await slots.tryAcquire(POOL, request(waiter, user, { limit }));
      if (!slot) throw new Error(`${waiter} was not granted a slot`);
      return slot;
    }

    describe('holding', () => {
      it('grants free slots up to the limit, each with its lease', async () => {
        const first = await mustAcquire('w1', 'alice', 2);
        await harness.advanceTime(10);
        const second = await mustAcquire('w2', 'bob', 2);

        expect(await slots.tryAcquire(POOL, request('w3', 'carol', { limit: 2 }))).toBeUndefined();
        expect(await slots.inUse(POOL)).toBe(2);
        expect([first.id, second.id]).toEqual(['w1', 'w2']);
        expect(second.expiresAt - first.expiresAt).toBe(10);
      });

      it('gives a waiter that asks again the slot it already holds', async () => {
        const first = await mustAcquire('w1', 'alice', 2);

        expect(await slots.tryAcquire(POOL, request('w1', 'alice', { limit: 2 }))).toEqual(first);
        expect(await slots.inUse(POOL)).toBe(1);
      });

      it('releases a slot once', async () => {
        const slot = await mustAcquire('w1', 'alice');

        expect(await slots.release('other-pool', slot.id)).toBe(false);
        expect(await slots.release(POOL, slot.id)).toBe(true);
        expect(await slots.release(POOL, slot.id)).toBe(false);
        expect(await slots.release(POOL, 'never-granted')).toBe(false);
        expect(await slots.inUse(POOL)).toBe(0);
        await mustAcquire('w2', 'bob');
      });

      it("takes back a crashed holder's slot when its lease runs out", async () => {
        const crashed = await slots.tryAcquire(POOL, request('w1', 'alice', { leaseMs: 1_000 }));

        await harness.advanceTime(999);
        expect(await slots.tryAcquire(POOL, request('w2', 'bob'))).toBeUndefined();
        expect(await slots.inUse(POOL)).toBe(1);
        await harness.advanceTime(1);
        expect(await slots.inUse(POOL)).toBe(0);
        await mustAcquire('w2', 'bob');

        expect(await slots.release(POOL, crashed!.id)).toBe(false);
        expect(await slots.renew(POOL, crashed!.id, 1_000)).toBe(false);
      });

      it('extends a lease on renewal', async () => {
        const slot = await slots.tryAcquire(POOL, request('w1', 'alice', { leaseMs: 1_000 }));

        await harness.advanceTime(800);
        expect(await slots.renew(POOL, slot!.id, 1_000)).toBe(true);
        await harness.advanceTime(800);
        expect(await slots.inUse(POOL)).toBe(1);
        expect(await slots.tryAcquire(POOL, request('w2', 'bob'))).toBeUndefined();
        await harness.advanceTime(200);
        expect(await slots.inUse(POOL)).toBe(0);
        expect(await slots.renew(POOL, slot!.id, 1_000)).toBe(false);
      });

      it('keeps pools apart', async () => {
        await mustAcquire('w1', 'alice');

        const other = await slots.tryAcquire('model:small', request('w2', 'alice'));
        expect(other?.id).toBe('w2');
        expect(await slots.inUse(POOL)).toBe(1);
        expect(await slots.inUse('model:small')).toBe(1);
        expect(await slots.inUse('model:unused')).toBe(0);
      });
    });

    describe('under contention', () => {
      it('grants exactly the limit to 50 simultaneous acquirers', async () => {
        const outcomes = await Promise.all(
          Array.from({ length: 50 }, (_, index) =>
            slots.tryAcquire(POOL, request(`w${index}`, `user${index % 10}`, { limit: 5 })),
          ),
        );

        expect(outcomes.filter((slot) => slot !== undefined)).toHaveLength(5);
        expect(await slots.inUse(POOL)).toBe(5);
      });

      it('never holds more than the limit while 50 acquirers come and go', async () => {
        // Half the acquirers use a second client where the backend has one.
        const other =
          capabilities.sharedClients === true
            ? await requireCapability(harness.connectAnother, 'connectAnother')()
            : slots;
        let holding = 0;
        let most = 0;
        const counts: number[] = [];
        const worker = async (index: number) => {
          const client = index % 2 === 0 ? slots : other;
          const ask = request(`w${index}`, `user${index % 7}`, { limit: 5 });
          while ((await client.tryAcquire(POOL, ask)) === undefined) await pause();
          holding += 1;
          most = Math.max(most, holding);
          counts.push(await client.inUse(POOL));
          await pause();
          holding -= 1;
          expect(await client.release(POOL, ask.waiter)).toBe(true);
        };

        await Promise.all(Array.from({ length: 50 }, (_, index) => worker(index)));

        expect(counts).toHaveLength(50);
        expect(Math.max(...counts)).toBeLessThanOrEqual(5);
        expect(most).toBeLessThanOrEqual(5);
        expect(most).toBeGreaterThan(1);
        expect(await slots.inUse(POOL)).toBe(0);
      });
    });

    describe('the line', () => {
      it('moves past a crashed waiter once its place expires', async () => {
        const holder = await mustAcquire('holder', 'zed');
        expect(
          await pollInOrder([
            ['x', 'xavier'],
            ['y', 'yvonne'],
          ]),
        ).toEqual([]);
        await slots.release(POOL, holder.id);

        expect(await pollInOrder([['y', 'yvonne']])).toEqual([]);
        await harness.advanceTime(5_000);
        expect(await pollInOrder([['y', 'yvonne']])).toEqual([]);
        await harness.advanceTime(5_000);
        expect(await pollInOrder([['y', 'yvonne']])).toEqual(['y']);
      });

      it("serves another user's single request after one of a burst", async () => {
        const holder = await mustAcquire('holder', 'zed');
        const burst = Array.from({ length: 20 }, (_, index): [string, string] => [
          `a${index + 1}`,
          'alice',
        ]);
        const everyone: [string, string][] = [...burst, ['b1', 'bob']];
        expect(await pollInOrder(everyone)).toEqual([]);

        await slots.release(POOL, holder.id);
        expect(await pollInOrder(everyone)).toEqual(['a1']);
        await slots.release(POOL, 'a1');
        expect(await pollInOrder(everyone.slice(1))).toEqual(['b1']);
        await slots.release(POOL, 'b1');
        expect(await pollInOrder(burst.slice(1))).toEqual(['a2']);
      });

      it('serves the user served least recently first', async () => {
        await mustAcquire('a1', 'alice');
        await slots.release(POOL, 'a1');
        await mustAcquire('b1', 'bob');
        expect(
          await pollInOrder([
            ['b2', 'bob'],
            ['a2', 'alice'],
          ]),
        ).toEqual([]);

        await slots.release(POOL, 'b1');
        expect(
          await pollInOrder([
            ['b2', 'bob'],
            ['a2', 'alice'],
          ]),
        ).toEqual(['a2']);
      });

      it("serves one user's waiters oldest first, whatever order they ask in", async () => {
        let holder = (await mustAcquire('holder', 'zed')).id;
        const waiters = ['a1', 'a2', 'a3', 'a4', 'a5'].map((id): [string, string] => [id, 'alice']);
        expect(await pollInOrder(waiters)).toEqual([]);

        const served: string[] = [];
        for (let round = 0; round < waiters.length; round += 1) {
          await slots.release(POOL, holder);
          const remaining = waiters.filter(([id]) => !served.includes(id)).reverse();
          const granted = await pollInOrder(remaining);
          expect(granted).toHaveLength(1);
          served.push(granted[0]!);
          holder = granted[0]!;
        }

        expect(served).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
      });

      it('lets a waiter leave the line', async () => {
        const holder = await mustAcquire('holder', 'zed');
        expect(
          await pollInOrder([
            ['x', 'xavier'],
            ['y', 'yvonne'],
          ]),
        ).toEqual([]);

        await slots.leave(POOL, 'x');
        await slots.leave(POOL, 'never-joined');
        await slots.release(POOL, holder.id);

        expect(await pollInOrder([['y', 'yvonne']])).toEqual(['y']);
      });

      it('gives back a slot granted to a waiter that then leaves', async () => {
        // An acquire that ran late (say after a backend stall) for a waiter that had given up.
        await mustAcquire('late', 'lena');
        expect(await slots.inUse(POOL)).toBe(1);

        await slots.leave(POOL, 'late');

        expect(await slots.inUse(POOL)).toBe(0);
      });

      it('forgets when an idle user was served, after the retention time', async () => {
        await mustAcquire('a1', 'alice');
        await slots.release(POOL, 'a1');
        await mustAcquire('b1', 'bob');
        await slots.release(POOL, 'b1');

        await harness.advanceTime(CONTRACT_MARK_RETENTION_MS);
        const holder = await mustAcquire('holder', 'zed');
        expect(
          await pollInOrder([
            ['b2', 'bob'],
            ['a2', 'alice'],
          ]),
        ).toEqual([]);
        await slots.release(POOL, holder.id);

        // Neither counts as served any more, so the older waiter (bob's) goes first.
        expect(
          await pollInOrder([
            ['a2', 'alice'],
            ['b2', 'bob'],
          ]),
        ).toEqual(['b2']);
      });
    });

    describe('input', () => {
      it('refuses requests it cannot serve and ignores names that cannot exist', async () => {
        const bad: [Partial<SlotRequest>, string][] = [
          [{ limit: 0 }, 'limit must be a positive integer.'],
          [{ leaseMs: 1.5 }, 'leaseMs must be a positive integer.'],
          [{ waiterTtlMs: -1 }, 'waiterTtlMs must be a positive integer.'],
          [{ waiter: '' }, 'waiter must be a non-empty string.'],
          [{ user: 'bad\uD800' }, 'user is not well-formed Unicode.'],
        ];
        for (const [overrides, message] of bad) {
          await expect(slots.tryAcquire(POOL, request('w', 'u', overrides))).rejects.toThrow(
            message,
          );
        }
        await expect(slots.tryAcquire('', request('w', 'u'))).rejects.toThrow(
          'pool must be a non-empty string.',
        );
        await expect(slots.renew(POOL, 'w', 0)).rejects.toThrow(
          'leaseMs must be a positive integer.',
        );
        expect(await slots.release(POOL, '\uDC00')).toBe(false);
        expect(await slots.renew(POOL, '', 1_000)).toBe(false);
        expect(await slots.inUse('\uD800')).toBe(0);
        await expect(slots.leave(POOL, '')).resolves.toBeUndefined();
      });
    });
  });
}
