import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../types.js';
import type { ContractHarness } from './harness.js';
import { hello, LEASE, leaseOf } from './session-fixtures.js';

/**
 * The session state part of the SessionStore contract: entries committed with a turn, replaced
 * or removed by name, kept exactly, never written by a lost lease, never seen by another owner.
 * `current` gives the store and harness the enclosing suite opened for this test.
 */
export function describeSessionState(
  current: () => { sessions: SessionStore; harness: ContractHarness<SessionStore> },
): void {
  describe('state', () => {
    let sessions: SessionStore;
    let harness: ContractHarness<SessionStore>;
    beforeEach(() => {
      ({ sessions, harness } = current());
    });

    async function commitState(id: string, state: Record<string, unknown>, messages = [hello]) {
      const { token } = leaseOf(await sessions.beginTurn('alice', id, LEASE));
      return sessions.commitTurn('alice', id, token, messages, { state });
    }

    it('sets, replaces and removes entries with the commit, leaving others as they were', async () => {
      const { id } = await sessions.create('alice', { assistant: 'a' });
      const summary = { text: 'Ana met Bo on 3 May', through: 4, facts: [], nested: { a: [] } };

      const first = await commitState(id, { summary, routing: { tier: 'large', left: 2 } });
      expect(first).toMatchObject({ state: { summary, routing: { tier: 'large', left: 2 } } });

      await commitState(id, { routing: { tier: 'large', left: 1 } }, []);
      await commitState(id, { summary: null });

      const read = await sessions.get('alice', id);
      expect(read?.state).toEqual({ routing: { tier: 'large', left: 1 } });
      expect(read?.messages).toEqual([hello, hello]);
    });

    it('keeps values exactly, odd text included', async () => {
      const { id } = await sessions.create('alice', { assistant: 'a' });
      const value = {
        text: 'a\u0000b \uD800 🙂 ' + 'x'.repeat(10_000),
        empty: [],
        zero: 0,
        f: 0.5,
      };
      await commitState(id, { odd: value, list: [[], {}, null, true] });

      expect((await sessions.get('alice', id))?.state).toEqual({
        odd: value,
        list: [[], {}, null, true],
      });
    });

    it('writes no state when the lease was lost', async () => {
      const { id } = await sessions.create('alice', { assistant: 'a' });
      const stale = leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 1_000 }));
      await harness.advanceTime(1_001);
      await commitState(id, { keep: 1 });

      const outcome = await sessions.commitTurn('alice', id, stale.token, [hello], {
        state: { keep: 2, lost: true },
      });
      expect(outcome).toBe('lease-lost');
      expect((await sessions.get('alice', id))?.state).toEqual({ keep: 1 });
    });

    it('refuses hostile names and values, and writes nothing for them', async () => {
      const { id } = await sessions.create('alice', { assistant: 'a' });
      const lease = leaseOf(await sessions.beginTurn('alice', id, LEASE));
      const patches: Record<string, unknown>[] = [
        { __proto__x: 1, ['__proto__']: 2 },
        { 'st:x': 1 },
        { '': 1 },
        { ['a'.repeat(65)]: 1 },
        { fn: () => 1 },
      ];
      for (const state of patches) {
        await expect(
          sessions.commitTurn('alice', id, lease.token, [hello], { state }),
        ).rejects.toMatchObject({ code: 'RAMPART_INVALID_REQUEST' });
      }
      const committed = await sessions.commitTurn('alice', id, lease.token, [], { state: {} });
      expect(committed).toMatchObject({ state: {}, messages: [] });
    });

    it('never shows one owner the state of another', async () => {
      const { id } = await sessions.create('alice', { assistant: 'a' });
      await commitState(id, { secret: 'alice only' });
      const bobs = await sessions.create('bob', { assistant: 'a' });

      expect(await sessions.get('bob', id)).toBeUndefined();
      expect((await sessions.get('bob', bobs.id))?.state).toEqual({});
    });
  });
}
