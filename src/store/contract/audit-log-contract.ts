import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditLog } from '../types.js';
import {
  bareDecision,
  decision,
  ID_FORMAT,
  ISO_TIME,
  rejection,
  type AuditLogHarness,
  type AuditLogHarnessFactory,
} from './audit-fixtures.js';
import { describeAuditInputContract } from './audit-input-contract.js';
import { requireCapability, type ContractCapabilities } from './harness.js';

const seqs = (entries: AuditEntry[]) => entries.map((entry) => entry.seq);
const calls = (entries: AuditEntry[]) => entries.map((entry) => entry.callId);

/** The behaviour every AuditLog backend must show. */
export function describeAuditLogContract(
  name: string,
  factory: AuditLogHarnessFactory,
  capabilities: ContractCapabilities = {},
): void {
  describe(`AuditLog contract: ${name}`, () => {
    let harness: AuditLogHarness;
    let audit: AuditLog;

    beforeEach(async () => {
      harness = await factory();
      audit = harness.store;
    });
    afterEach(() => harness.close());

    /** Appends one decision per call id, in order, a millisecond apart. */
    async function appendCalls(count: number, prefix = 'call'): Promise<AuditEntry[]> {
      const appended: AuditEntry[] = [];
      for (let index = 0; index < count; index += 1) {
        appended.push(await audit.append(decision({ callId: `${prefix}_${index}` })));
        await harness.advanceTime(1);
      }
      return appended;
    }

    describe('records', () => {
      it('returns the stored entry, and lists the same', async () => {
        const appended = await audit.append(decision());

        expect(appended).toEqual({
          ...decision(),
          id: expect.stringMatching(ID_FORMAT) as string,
          at: expect.stringMatching(ISO_TIME) as string,
          seq: expect.any(Number) as number,
        });
        expect(Number.isSafeInteger(appended.seq) && appended.seq > 0).toBe(true);
        expect(await audit.list()).toEqual([appended]);
      });

      it('leaves out a session and request that were not given', async () => {
        const appended = await audit.append(bareDecision());

        expect(Object.keys(appended)).not.toContain('sessionId');
        expect(Object.keys(appended)).not.toContain('requestId');
        expect(await audit.list()).toEqual([appended]);
      });

      it('times an entry by the clock', async () => {
        const first = await audit.append(decision());
        await harness.advanceTime(1500);
        const second = await audit.append(decision());

        expect(Date.parse(second.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(1500);
      });

      it('stores only the given fields, never arguments passed along', async () => {
        const sneaky = { ...decision(), arguments: { password: 'hunter2' } };

        const appended = await audit.append(sneaky);

        expect(JSON.stringify(appended)).not.toContain('hunter2');
        expect(JSON.stringify(await audit.list())).not.toContain('hunter2');
      });

      it('gives distinct ids and growing seqs, and lists newest first', async () => {
        const appended = await appendCalls(5);

        const ascending = seqs(appended);
        expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
        expect(new Set(ascending).size).toBe(5);
        expect(new Set(appended.map((entry) => entry.id)).size).toBe(5);
        expect(await audit.list()).toEqual([...appended].reverse());
      });

      it('lists nothing from an empty log', async () => {
        expect(await audit.list()).toEqual([]);
        expect(await audit.list({ userId: 'alice', limit: 5 })).toEqual([]);
      });
    });

    describe('filters', () => {
      beforeEach(async () => {
        const entries = [
          decision({ callId: 'a1' }),
          decision({ callId: 'b1', userId: 'bob', sessionId: 'sess_two', verdict: 'denied' }),
          decision({ callId: 'a2', tool: 'send_email', verdict: 'confirmation-required' }),
          decision({ callId: 'a3', tool: 'send_email', verdict: 'approved' }),
          bareDecision({ callId: 'b2', userId: 'bob', tool: 'send_email', verdict: 'rejected' }),
          decision({ callId: 'a4', sessionId: 'sess_two', verdict: 'denied', rule: 'argument' }),
        ];
        for (const entry of entries) {
          await audit.append(entry);
          await harness.advanceTime(1000);
        }
      });

      it('by user, tool, verdict and session', async () => {
        expect(calls(await audit.list({ userId: 'alice' }))).toEqual(['a4', 'a3', 'a2', 'a1']);
        expect(calls(await audit.list({ userId: 'bob' }))).toEqual(['b2', 'b1']);
        expect(calls(await audit.list({ tool: 'send_email' }))).toEqual(['b2', 'a3', 'a2']);
        expect(calls(await audit.list({ verdict: 'denied' }))).toEqual(['a4', 'b1']);
        expect(calls(await audit.list({ verdict: 'rejected' }))).toEqual(['b2']);
        expect(calls(await audit.list({ sessionId: 'sess_two' }))).toEqual(['a4', 'b1']);
        expect(calls(await audit.list({ sessionId: 'sess_one' }))).toEqual(['a3', 'a2', 'a1']);
      });

      it('with every given filter applying at once', async () => {
        expect(calls(await audit.list({ userId: 'bob', tool: 'send_email' }))).toEqual(['b2']);
        expect(calls(await audit.list({ userId: 'alice', verdict: 'denied' }))).toEqual(['a4']);
        const none = { userId: 'bob', sessionId: 'sess_one' };
        expect(await audit.list(none)).toEqual([]);
        expect(await audit.list({ userId: 'carol' })).toEqual([]);
        expect(await audit.list({ userId: 'ALICE' })).toEqual([]);
      });

      it('since a time, inclusive', async () => {
        const all = await audit.list();
        const third = all[2]!;

        expect(calls(await audit.list({ since: third.at }))).toEqual(['a4', 'b2', 'a3']);
        const justAfter = new Date(Date.parse(third.at) + 1).toISOString();
        expect(calls(await audit.list({ since: justAfter }))).toEqual(['a4', 'b2']);
        expect(calls(await audit.list({ since: '2000-01-01' }))).toHaveLength(6);
        expect(await audit.list({ since: '2999-01-01T00:00:00Z' })).toEqual([]);
        const filtered = await audit.list({ since: third.at, tool: 'send_email' });
        expect(calls(filtered)).toEqual(['b2', 'a3']);
      });

      it('reads a time with an offset as the same instant', async () => {
        const third = (await audit.list())[2]!;
        const instant = new Date(Date.parse(third.at));
        const plusTwo = new Date(instant.getTime() + 2 * 3600_000).toISOString();
        const withOffset = `${plusTwo.slice(0, -1)}+02:00`;

        expect(calls(await audit.list({ since: withOffset }))).toEqual(['a4', 'b2', 'a3']);
      });
    });

    describe('paging', () => {
      it('walks every entry once with before and limit', async () => {
        const appended = await appendCalls(25);

        const pages: AuditEntry[][] = [];
        let before: number | undefined;
        for (;;) {
          const page = await audit.list(
            before === undefined ? { limit: 10 } : { limit: 10, before },
          );
          if (page.length === 0) break;
          pages.push(page);
          before = page.at(-1)!.seq;
        }

        expect(pages.map((page) => page.length)).toEqual([10, 10, 5]);
        expect(pages.flat()).toEqual([...appended].reverse());
      });

      it('pages within a filter', async () => {
        const appended = await appendCalls(6);
        const bobs = [];
        for (let index = 0; index < 3; index += 1) {
          bobs.push(await audit.append(decision({ userId: 'bob', callId: `bob_${index}` })));
        }

        const firstPage = await audit.list({ userId: 'bob', limit: 2 });
        expect(calls(firstPage)).toEqual(['bob_2', 'bob_1']);
        const secondPage = await audit.list({ userId: 'bob', limit: 2, before: firstPage[1]!.seq });
        expect(calls(secondPage)).toEqual(['bob_0']);
        expect(await audit.list({ before: appended[0]!.seq })).toEqual([]);
        expect(calls(await audit.list({ before: bobs[0]!.seq, limit: 1 }))).toEqual(['call_5']);
      });

      it('returns 100 entries by default and never more than 1000', async () => {
        const batches = Array.from({ length: 11 }, (_, batch) =>
          Array.from({ length: 91 }, (_, index) => `call_${batch}_${index}`),
        );
        for (const batch of batches) {
          await Promise.all(batch.map((callId) => audit.append(decision({ callId }))));
        }

        const newest = await audit.list();
        expect(newest).toHaveLength(100);
        expect(await audit.list({ limit: 1_000_000 })).toHaveLength(1000);
        expect(await audit.list({ limit: 1000 })).toHaveLength(1000);
        expect(await audit.list({ limit: 1 })).toEqual([newest[0]]);
        const oldest = await audit.list({ limit: 1000, before: newest.at(-1)!.seq });
        expect(oldest).toHaveLength(1001 - 100);
      });
    });

    describeAuditInputContract(() => audit);

    it('refuses an UPDATE or DELETE issued straight to the database', async () => {
      const appended = [await audit.append(decision()), await audit.append(bareDecision())];

      for (const sql of [
        "UPDATE audit_entries SET verdict = 'allowed', reason = 'nothing to see'",
        "UPDATE audit_entries SET user_id = user_id WHERE verdict = 'allowed'",
        'DELETE FROM audit_entries',
        `DELETE FROM audit_entries WHERE id = '${appended[0]!.id}'`,
      ]) {
        const error = await rejection(harness.execute(sql));
        expect(String(error)).toMatch(/audit_entries is append-only: (UPDATE|DELETE) refused/);
      }

      expect(await audit.list()).toEqual([...appended].reverse());
    });

    it('refuses an entry written over an existing one', async () => {
      const entry = await audit.append(decision({ callId: 'kept' }));

      const error = await rejection(harness.execute(harness.overwrite(entry.seq)));
      expect(String(error)).toMatch(/audit_entries is append-only/);

      expect(await audit.list()).toEqual([entry]);
    });

    it.runIf(capabilities.durable === true)('keeps entries across a restart', async () => {
      const before = await appendCalls(3);

      audit = await requireCapability(harness.reopen, 'reopen')();

      expect(await audit.list()).toEqual([...before].reverse());
      const after = await audit.append(decision({ callId: 'after' }));
      expect(after.seq).toBeGreaterThan(before.at(-1)!.seq);
      expect(calls(await audit.list({ limit: 2 }))).toEqual(['after', 'call_2']);
    });

    it.runIf(capabilities.sharedClients === true)(
      'loses nothing when two clients append at once',
      async () => {
        const other = await requireCapability(harness.connectAnother, 'connectAnother')();
        const callIds = Array.from({ length: 200 }, (_, index) => `call_${index}`);

        const appended = await Promise.all(
          callIds.map((callId, index) => (index % 2 ? other : audit).append(decision({ callId }))),
        );

        expect(new Set(seqs(appended)).size).toBe(200);
        expect(new Set(appended.map((entry) => entry.id)).size).toBe(200);
        const listed = await audit.list({ limit: 1000 });
        expect(listed).toHaveLength(200);
        expect(calls(listed).sort()).toEqual([...callIds].sort());
        expect(seqs(listed)).toEqual([...seqs(appended)].sort((a, b) => b - a));
        expect(await other.list({ limit: 1000 })).toEqual(listed);
      },
    );
  });
}
