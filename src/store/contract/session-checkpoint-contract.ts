import { beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '../../core/index.js';
import type { SessionStore } from '../types.js';
import type { ContractHarness } from './harness.js';
import { hello, LEASE, leaseOf, reply } from './session-fixtures.js';

/**
 * The checkpoint part of the SessionStore contract: a turn saves messages under its lease and
 * keeps it, replaces what it saved at its commit, and renews its lease while it runs; a token
 * that lost the lease does none of these. `current` gives the store and harness the enclosing
 * suite opened for this test.
 */
export function describeSessionCheckpoints(
  current: () => { sessions: SessionStore; harness: ContractHarness<SessionStore> },
): void {
  describe('checkpoints', () => {
    let sessions: SessionStore;
    let harness: ContractHarness<SessionStore>;
    beforeEach(() => {
      ({ sessions, harness } = current());
    });

    it('writes a checkpoint under the lease, keeps the lease, and replaces stand-ins later', async () => {
      const { id } = await sessions.create('alice', { assistant: 'a' });
      const { token } = leaseOf(await sessions.beginTurn('alice', id, LEASE));
      const standIn: Message = { role: 'tool', toolCallId: 'c1', content: 'unknown' };
      const result: Message = { role: 'tool', toolCallId: 'c1', content: 'done' };

      const saved = await sessions.commitTurn('alice', id, token, [hello, standIn], {
        keepLease: true,
        state: { step: 1 },
      });
      expect(saved).toMatchObject({ messages: [hello, standIn], state: { step: 1 } });
      // Another reader sees the checkpoint; another turn still cannot start.
      expect((await sessions.get('alice', id))?.messages).toEqual([hello, standIn]);
      expect(await sessions.beginTurn('alice', id, LEASE)).toBe('busy');

      const done = await sessions.commitTurn('alice', id, token, [result, reply], {
        replaceLast: 1,
        state: { step: null },
      });
      expect(done).toMatchObject({ messages: [hello, result, reply], state: {} });
      leaseOf(await sessions.beginTurn('alice', id, LEASE));
    });

    it('replaces only within the history, and refuses a replacement that is no count', async () => {
      const { id } = await sessions.create('alice', { assistant: 'a' });
      const first = leaseOf(await sessions.beginTurn('alice', id, LEASE));
      await sessions.commitTurn('alice', id, first.token, [hello]);
      const second = leaseOf(await sessions.beginTurn('alice', id, LEASE));
      for (const replaceLast of [-1, 1.5, Number.NaN]) {
        await expect(
          sessions.commitTurn('alice', id, second.token, [reply], { replaceLast }),
        ).rejects.toMatchObject({ code: 'RAMPART_INVALID_REQUEST' });
      }
      const done = await sessions.commitTurn('alice', id, second.token, [reply], {
        replaceLast: 5,
      });
      expect(done).toMatchObject({ messages: [reply] });
    });

    it('refuses a checkpoint from a turn whose lease another turn took', async () => {
      const { id } = await sessions.create('alice', { assistant: 'a' });
      const stale = leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 1000 }));
      await harness.advanceTime(1000);
      leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 1000 }));

      const late = await sessions.commitTurn('alice', id, stale.token, [hello], {
        keepLease: true,
      });
      expect(late).toBe('lease-lost');
      expect((await sessions.get('alice', id))?.messages).toEqual([]);
    });

    it("renews a running turn's lease, and refuses a token that lost it", async () => {
      const { id } = await sessions.create('alice', { assistant: 'a' });
      const { token } = leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 1000 }));

      await harness.advanceTime(900);
      expect(await sessions.renewTurn('alice', id, token, 1000)).toBe(true);
      await harness.advanceTime(900);
      // Past the first lease, within the renewed one.
      expect(await sessions.beginTurn('alice', id, { leaseMs: 1000 })).toBe('busy');
      await harness.advanceTime(100);
      const next = leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 1000 }));

      expect(await sessions.renewTurn('alice', id, token, 1000)).toBe(false);
      expect(await sessions.renewTurn('bob', id, next.token, 1000)).toBe(false);
      expect(await sessions.renewTurn('alice', id, next.token, 1000)).toBe(true);
      await expect(sessions.renewTurn('alice', id, next.token, 0)).rejects.toMatchObject({
        code: 'RAMPART_INVALID_REQUEST',
      });
    });
  });
}
