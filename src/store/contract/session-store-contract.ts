import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../types.js';
import { requireCapability, type ContractCapabilities, type ContractHarness } from './harness.js';
import { hostileMessages } from './hostile-messages.js';
import { describeSessionCheckpoints } from './session-checkpoint-contract.js';
import { hello, LEASE, leaseOf, reply } from './session-fixtures.js';
import { describeSessionState } from './session-state-contract.js';

const SESSION_ID = /^sess_[A-Za-z0-9_-]{24}$/;

/** How a session backend is opened for a test: with an idle limit when one is asked for. */
export interface SessionHarnessOptions {
  /** The store's `sessionIdleTtlMs`; absent means sessions never expire. */
  sessionIdleTtlMs?: number;
}

/** Opens a fresh, empty session backend for one test. */
export type SessionHarnessFactory = (
  options?: SessionHarnessOptions,
) => Promise<ContractHarness<SessionStore>>;

const IDLE = { sessionIdleTtlMs: 60_000 };

/** The behaviour every SessionStore backend must show. */
export function describeSessionStoreContract(
  name: string,
  factory: SessionHarnessFactory,
  capabilities: ContractCapabilities = {},
): void {
  describe(`SessionStore contract: ${name}`, () => {
    let harness: ContractHarness<SessionStore>;
    let sessions: SessionStore;

    beforeEach(async () => {
      harness = await factory();
      sessions = harness.store;
    });
    afterEach(() => harness.close());

    describe('records', () => {
      it('creates an empty session with a random id and reads it back', async () => {
        const created = await sessions.create('alice', {
          assistant: 'support',
          metadata: { channel: 'web' },
        });

        expect(created).toEqual({
          id: expect.stringMatching(SESSION_ID) as string,
          owner: 'alice',
          assistant: 'support',
          metadata: { channel: 'web' },
          createdAt: created.createdAt,
          updatedAt: created.createdAt,
          messages: [],
          state: {},
        });
        expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
        expect(await sessions.get('alice', created.id)).toEqual(created);
      });

      it('defaults metadata to an empty object and gives distinct ids', async () => {
        const created = await Promise.all(
          Array.from({ length: 50 }, () => sessions.create('alice', { assistant: 'a' })),
        );
        expect(created[0]?.metadata).toEqual({});
        expect(new Set(created.map((session) => session.id)).size).toBe(50);
      });

      it('answers unknown and malformed ids with undefined', async () => {
        for (const id of [
          'sess_AAAAAAAAAAAAAAAAAAAAAAAA',
          '',
          'x'.repeat(100_000),
          "' OR 1=1 --",
        ]) {
          expect(await sessions.get('alice', id)).toBeUndefined();
        }
      });

      it('deletes a session once', async () => {
        const { id } = await sessions.create('alice', { assistant: 'a' });

        expect(await sessions.delete('alice', id)).toBe(true);
        expect(await sessions.delete('alice', id)).toBe(false);
        expect(await sessions.get('alice', id)).toBeUndefined();
        expect(await sessions.beginTurn('alice', id, LEASE)).toBe('not-found');
      });
    });

    describe('owner isolation', () => {
      it("treats another owner's session exactly as a missing one", async () => {
        const { id } = await sessions.create('alice', { assistant: 'a' });
        const { token } = leaseOf(await sessions.beginTurn('alice', id, LEASE));

        expect(await sessions.get('bob', id)).toBeUndefined();
        expect(await sessions.delete('bob', id)).toBe(false);
        expect(await sessions.beginTurn('bob', id, LEASE)).toBe('not-found');
        expect(await sessions.commitTurn('bob', id, token, [hello])).toBe('not-found');
        expect(await sessions.releaseTurn('bob', id, token)).toBe(false);

        const committed = await sessions.commitTurn('alice', id, token, [hello]);
        expect(committed).toMatchObject({ messages: [hello] });
      });

      it('does not confuse owners whose names differ only in unusual characters', async () => {
        const { id } = await sessions.create('\uFFFD', { assistant: 'a' });

        expect(await sessions.get('\uD800', id)).toBeUndefined();
        expect(await sessions.get('\uFFFD ', id)).toBeUndefined();
        expect(await sessions.get('\uFFFD', id)).toBeDefined();
      });

      it('refuses identity text that cannot be stored exactly', async () => {
        await expect(sessions.create('bad\uD800', { assistant: 'a' })).rejects.toThrow(
          'owner is not well-formed Unicode.',
        );
        await expect(sessions.create('alice', { assistant: '\uDFFF' })).rejects.toThrow(
          'assistant is not well-formed Unicode.',
        );
      });
    });

    describe('turns', () => {
      it('appends each turn in order and releases the lease on commit', async () => {
        const { id } = await sessions.create('alice', { assistant: 'a' });

        const first = leaseOf(await sessions.beginTurn('alice', id, LEASE));
        expect(first.record.messages).toEqual([]);
        await harness.advanceTime(5);
        const afterFirst = await sessions.commitTurn('alice', id, first.token, [hello, reply]);
        const second = leaseOf(await sessions.beginTurn('alice', id, LEASE));
        await sessions.commitTurn('alice', id, second.token, [hello]);

        expect(second.record.messages).toEqual([hello, reply]);
        expect((await sessions.get('alice', id))?.messages).toEqual([hello, reply, hello]);
        expect(typeof afterFirst === 'object' && afterFirst.updatedAt).not.toBe(
          typeof afterFirst === 'object' && afterFirst.createdAt,
        );
      });

      it('refuses a second turn while one is running', async () => {
        const { id } = await sessions.create('alice', { assistant: 'a' });
        leaseOf(await sessions.beginTurn('alice', id, LEASE));

        expect(await sessions.beginTurn('alice', id, LEASE)).toBe('busy');
      });

      it('lets exactly one of many concurrent callers take the turn', async () => {
        const { id } = await sessions.create('alice', { assistant: 'a' });

        const outcomes = await Promise.all(
          Array.from({ length: 10 }, () => sessions.beginTurn('alice', id, LEASE)),
        );

        expect(outcomes.filter((outcome) => typeof outcome === 'object')).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome === 'busy')).toHaveLength(9);
      });

      it('writes nothing for a wrong token', async () => {
        const { id } = await sessions.create('alice', { assistant: 'a' });
        const { token } = leaseOf(await sessions.beginTurn('alice', id, LEASE));

        expect(await sessions.commitTurn('alice', id, 'not-the-token', [hello])).toBe('lease-lost');
        expect(await sessions.releaseTurn('alice', id, 'not-the-token')).toBe(false);
        expect((await sessions.get('alice', id))?.messages).toEqual([]);
        expect(await sessions.beginTurn('alice', id, LEASE)).toBe('busy');
        expect(await sessions.releaseTurn('alice', id, token)).toBe(true);
      });

      it('frees the turn on release without writing', async () => {
        const { id } = await sessions.create('alice', { assistant: 'a' });
        const { token } = leaseOf(await sessions.beginTurn('alice', id, LEASE));

        expect(await sessions.releaseTurn('alice', id, token)).toBe(true);
        expect(await sessions.releaseTurn('alice', id, token)).toBe(false);
        expect(await sessions.commitTurn('alice', id, token, [hello])).toBe('lease-lost');
        leaseOf(await sessions.beginTurn('alice', id, LEASE));
      });

      it('lets the next turn in once a lease expires, and the old holder loses it', async () => {
        const { id } = await sessions.create('alice', { assistant: 'a' });
        const stale = leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 1000 }));

        await harness.advanceTime(999);
        expect(await sessions.beginTurn('alice', id, { leaseMs: 1000 })).toBe('busy');
        await harness.advanceTime(1);
        const fresh = leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 1000 }));

        expect(await sessions.commitTurn('alice', id, stale.token, [hello])).toBe('lease-lost');
        expect(await sessions.releaseTurn('alice', id, stale.token)).toBe(false);
        expect(await sessions.commitTurn('alice', id, fresh.token, [reply])).toMatchObject({
          messages: [reply],
        });
      });

      it('commits a turn that outlived its lease when no other turn took the session', async () => {
        // A long turn (slow tools, a long answer) must not lose its completed work just because
        // its lease ran out: the lease only decides who may start the next turn.
        const { id } = await sessions.create('alice', { assistant: 'a' });
        const { token } = leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 100 }));

        await harness.advanceTime(100);

        expect(await sessions.commitTurn('alice', id, token, [hello])).toMatchObject({
          messages: [hello],
        });
        leaseOf(await sessions.beginTurn('alice', id, LEASE));
      });

      it('reports a session deleted during the turn as not found', async () => {
        const { id } = await sessions.create('alice', { assistant: 'a' });
        const { token } = leaseOf(await sessions.beginTurn('alice', id, LEASE));
        await sessions.delete('alice', id);

        expect(await sessions.commitTurn('alice', id, token, [hello])).toBe('not-found');
      });
    });

    describeSessionState(() => ({ sessions, harness }));
    describeSessionCheckpoints(() => ({ sessions, harness }));

    describe('idle expiry', () => {
      /** Replaces the suite's store with one that forgets sessions idle for a minute. */
      async function withIdleLimit(): Promise<void> {
        await harness.close();
        harness = await factory(IDLE);
        sessions = harness.store;
      }

      it('keeps sessions without an idle limit however long they sit', async () => {
        const { id } = await sessions.create('alice', { assistant: 'a' });

        await harness.advanceTime(400 * 24 * 3_600_000);

        expect((await sessions.get('alice', id))?.id).toBe(id);
      });

      it('forgets a session left alone for the idle limit', async () => {
        await withIdleLimit();
        const { id } = await sessions.create('alice', { assistant: 'a' });

        await harness.advanceTime(59_999);
        expect((await sessions.get('alice', id))?.id).toBe(id);
        await harness.advanceTime(1);

        expect(await sessions.get('alice', id)).toBeUndefined();
        expect(await sessions.beginTurn('alice', id, LEASE)).toBe('not-found');
        expect(await sessions.delete('alice', id)).toBe(false);
      });

      it('counts the idle time again from each committed turn', async () => {
        await withIdleLimit();
        const { id } = await sessions.create('alice', { assistant: 'a' });
        await harness.advanceTime(40_000);
        const { token } = leaseOf(await sessions.beginTurn('alice', id, LEASE));
        await sessions.commitTurn('alice', id, token, [hello]);

        await harness.advanceTime(59_999);
        expect((await sessions.get('alice', id))?.messages).toEqual([hello]);
        await harness.advanceTime(1);
        expect(await sessions.get('alice', id)).toBeUndefined();
      });

      it('does not count a turn that was begun but never committed', async () => {
        await withIdleLimit();
        const { id } = await sessions.create('alice', { assistant: 'a' });
        await harness.advanceTime(30_000);
        const { token } = leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 1_000 }));
        await sessions.releaseTurn('alice', id, token);

        await harness.advanceTime(30_000);

        expect(await sessions.get('alice', id)).toBeUndefined();
      });

      it('keeps a session alive while a turn holds it, past the idle limit', async () => {
        // A long turn must not lose the whole conversation to the idle limit midway.
        await withIdleLimit();
        const { id } = await sessions.create('alice', { assistant: 'a' });
        const { token } = leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 120_000 }));

        await harness.advanceTime(60_000);

        expect(await sessions.commitTurn('alice', id, token, [hello])).toMatchObject({
          messages: [hello],
        });
      });

      it('lets a session go idle once an abandoned turn’s lease has run out', async () => {
        await withIdleLimit();
        const { id } = await sessions.create('alice', { assistant: 'a' });
        leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 120_000 }));

        await harness.advanceTime(120_001);

        expect(await sessions.get('alice', id)).toBeUndefined();
      });

      it('expires each session on its own clock', async () => {
        await withIdleLimit();
        const old = await sessions.create('alice', { assistant: 'a' });
        await harness.advanceTime(30_000);
        const young = await sessions.create('alice', { assistant: 'a' });

        await harness.advanceTime(30_000);

        expect(await sessions.get('alice', old.id)).toBeUndefined();
        expect((await sessions.get('alice', young.id))?.id).toBe(young.id);
        const again = await sessions.create('alice', { assistant: 'a' });
        expect((await sessions.get('alice', again.id))?.id).toBe(again.id);
      });
    });

    it('stores hostile content exactly', async () => {
      const metadata = { __proto__: { polluted: true }, nested: { '\u0000': ['😀', '\uDC00'] } };
      const created = await sessions.create('ユーザー🦊', {
        assistant: 'aide\u202E',
        metadata: JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>,
      });
      const { token } = leaseOf(await sessions.beginTurn('ユーザー🦊', created.id, LEASE));

      await sessions.commitTurn('ユーザー🦊', created.id, token, hostileMessages());
      const stored = await sessions.get('ユーザー🦊', created.id);

      expect(stored?.messages).toEqual(hostileMessages());
      expect(stored?.assistant).toBe('aide\u202E');
      expect(JSON.stringify(stored?.metadata)).toBe(
        JSON.stringify(JSON.parse(JSON.stringify(metadata))),
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it.runIf(capabilities.durable === true)(
      'keeps sessions, messages and leases across a restart',
      async () => {
        const { id } = await sessions.create('alice', { assistant: 'a' });
        const turn = leaseOf(await sessions.beginTurn('alice', id, LEASE));
        await sessions.commitTurn('alice', id, turn.token, [hello, reply]);
        leaseOf(await sessions.beginTurn('alice', id, { leaseMs: 5000 }));

        sessions = await requireCapability(harness.reopen, 'reopen')();

        expect((await sessions.get('alice', id))?.messages).toEqual([hello, reply]);
        expect(await sessions.beginTurn('alice', id, LEASE)).toBe('busy');
        await harness.advanceTime(5000);
        leaseOf(await sessions.beginTurn('alice', id, LEASE));
      },
    );

    it.runIf(capabilities.sharedClients === true)(
      'lets one client win a race between two',
      async () => {
        const other = await requireCapability(harness.connectAnother, 'connectAnother').call(
          harness,
        );
        const { id } = await sessions.create('alice', { assistant: 'a' });

        const outcomes = await Promise.all([
          sessions.beginTurn('alice', id, LEASE),
          other.beginTurn('alice', id, LEASE),
          other.beginTurn('alice', id, LEASE),
          sessions.beginTurn('alice', id, LEASE),
        ]);

        expect(outcomes.filter((outcome) => typeof outcome === 'object')).toHaveLength(1);
        expect((await other.get('alice', id))?.id).toBe(id);
      },
    );
  });
}
