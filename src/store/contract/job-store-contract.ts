import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobClaim, JobStore, WebhookClaim } from '../types.js';
import {
  requireCapability,
  type ContractCapabilities,
  type ContractHarness,
  type HarnessFactory,
} from './harness.js';
import { hostileMessages } from './hostile-messages.js';
import { chat, HOOK, LEASE_MS, must } from './job-fixtures.js';
import { describeJobWebhookContract } from './job-webhook-contract.js';

const JOB_ID = /^job_[A-Za-z0-9_-]{24}$/;
const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The behaviour every JobStore backend must show. */
export function describeJobStoreContract(
  name: string,
  factory: HarnessFactory<JobStore>,
  capabilities: ContractCapabilities = {},
): void {
  describe(`JobStore contract: ${name}`, () => {
    let harness: ContractHarness<JobStore>;
    let jobs: JobStore;

    beforeEach(async () => {
      harness = await factory();
      jobs = harness.store;
    });
    afterEach(() => harness.close());

    const claim = async (leaseMs = LEASE_MS): Promise<JobClaim> =>
      must(await jobs.claim(leaseMs), 'a claim');
    const claimWebhook = async (leaseMs = LEASE_MS): Promise<WebhookClaim> =>
      must(await jobs.claimWebhook(leaseMs), 'a webhook claim');

    describe('records', () => {
      it('creates a queued job with a random id and reads it back', async () => {
        const created = await jobs.create('alice', chat);

        expect(created).toEqual({
          id: expect.stringMatching(JOB_ID) as string,
          owner: 'alice',
          kind: 'chat.completion',
          status: 'queued',
          request: chat.request,
          attempts: 0,
          webhookStatus: 'none',
          webhookAttempts: 0,
          createdAt: expect.stringMatching(ISO_TIME) as string,
          updatedAt: created.createdAt,
        });
        expect(await jobs.get('alice', created.id)).toEqual(created);
      });

      it('keeps a webhook url, pending until delivered', async () => {
        const created = await jobs.create('alice', { ...chat, webhookUrl: HOOK });

        expect(created).toMatchObject({ webhookUrl: HOOK, webhookStatus: 'pending' });
        expect(await jobs.get('alice', created.id)).toEqual(created);
      });

      it('gives distinct ids', async () => {
        const created = await Promise.all(
          Array.from({ length: 50 }, () => jobs.create('alice', chat)),
        );
        expect(new Set(created.map((job) => job.id)).size).toBe(50);
      });

      it('answers unknown and malformed ids with undefined', async () => {
        for (const id of ['job_AAAAAAAAAAAAAAAAAAAAAAAA', '', 'job_\u0000', "' OR 1=1 --"]) {
          expect(await jobs.get('alice', id)).toBeUndefined();
        }
      });

      it('refuses input no backend could store exactly', async () => {
        const refusals: [string, Promise<unknown>][] = [
          ['owner must be a non-empty string.', jobs.create('', chat)],
          ['owner is not well-formed Unicode.', jobs.create('a\uD800', chat)],
          ['kind must be a non-empty string.', jobs.create('alice', { ...chat, kind: '' })],
          ['The job request is not JSON.', jobs.create('alice', { kind: 'k', request: undefined })],
          ['The job request is not JSON: ', jobs.create('alice', { kind: 'k', request: 1n })],
          [
            'webhookUrl must be an http or https URL.',
            jobs.create('alice', { ...chat, webhookUrl: 'file:///etc/passwd' }),
          ],
          [
            'webhookUrl must be an http or https URL.',
            jobs.create('alice', { ...chat, webhookUrl: 'https://a.test/\u0000' }),
          ],
        ];
        for (const [message, refused] of refusals) await expect(refused).rejects.toThrow(message);
        expect(await jobs.claim(LEASE_MS)).toBeUndefined();
      });
    });

    describe('owner isolation', () => {
      it("treats another owner's job exactly as a missing one", async () => {
        const { id } = await jobs.create('alice', chat);

        expect(await jobs.get('bob', id)).toBeUndefined();
        expect(await jobs.get('alice ', id)).toBeUndefined();
        expect((await jobs.get('alice', id))?.id).toBe(id);
      });

      it('does not confuse owners whose names differ only in unusual characters', async () => {
        const { id } = await jobs.create('\uFFFD', chat);

        expect(await jobs.get('\uD800', id)).toBeUndefined();
        expect(await jobs.get('\uFFFD\u0000', id)).toBeUndefined();
        expect((await jobs.get('\uFFFD', id))?.id).toBe(id);
      });
    });

    describe('claims', () => {
      it('claims nothing when no job is due', async () => {
        expect(await jobs.claim(LEASE_MS)).toBeUndefined();
      });

      it('claims the oldest job first, ties in creation order', async () => {
        const first = await jobs.create('alice', chat);
        await harness.advanceTime(5);
        const second = await jobs.create('bob', chat);
        const third = await jobs.create('alice', chat);

        const order = [await claim(), await claim(), await claim()].map(({ job }) => job.id);

        expect(order).toEqual([first.id, second.id, third.id]);
        expect(await jobs.claim(LEASE_MS)).toBeUndefined();
      });

      it('marks a claimed job running and counts the attempt', async () => {
        const created = await jobs.create('alice', chat);
        await harness.advanceTime(7);

        const { token, job } = await claim();

        expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
        expect(job).toEqual({
          ...created,
          status: 'running',
          attempts: 1,
          updatedAt: job.updatedAt,
        });
        expect(Date.parse(job.updatedAt) - Date.parse(created.createdAt)).toBe(7);
        expect(await jobs.get('alice', created.id)).toEqual(job);
      });

      it('does not claim a job again until its lease runs out', async () => {
        const { id } = await jobs.create('alice', chat);
        const first = await claim(1000);

        await harness.advanceTime(999);
        expect(await jobs.claim(1000)).toBeUndefined();
        await harness.advanceTime(1);
        const second = await claim(1000);

        expect(second.job).toMatchObject({ id, status: 'running', attempts: 2 });
        expect(second.token).not.toBe(first.token);
      });

      it('completes a job once, with its result', async () => {
        const { id } = await jobs.create('alice', chat);
        const { token } = await claim();
        await harness.advanceTime(10);

        expect(await jobs.complete(id, token, { answer: [1, 'two', null] })).toBe(true);
        const done = must(await jobs.get('alice', id), 'the job');
        expect(done).toMatchObject({ status: 'succeeded', result: { answer: [1, 'two', null] } });
        expect(done.completedAt).toBe(done.updatedAt);
        expect(done.error).toBeUndefined();
        expect(await jobs.complete(id, token, 'again')).toBe(false);
        expect(await jobs.fail(id, token, { code: 'X', message: 'late' })).toBe(false);
        expect(await jobs.requeue(id, token, 0)).toBe(false);
        await harness.advanceTime(LEASE_MS);
        expect(await jobs.claim(LEASE_MS)).toBeUndefined();
        expect(await jobs.get('alice', id)).toEqual(done);
      });

      it('keeps a null result apart from none', async () => {
        const { id } = await jobs.create('alice', chat);
        const { token } = await claim();

        await jobs.complete(id, token, null);

        expect(await jobs.get('alice', id)).toMatchObject({ status: 'succeeded', result: null });
      });

      it('fails a job for good, with its error', async () => {
        const { id } = await jobs.create('alice', chat);
        const { token } = await claim();
        const error = { code: 'RAMPART_UPSTREAM_REJECTED', message: 'no "model"\n\u0000' };

        expect(await jobs.fail(id, token, error)).toBe(true);

        const failed = must(await jobs.get('alice', id), 'the job');
        expect(failed).toMatchObject({ status: 'failed', error, attempts: 1 });
        expect(failed.result).toBeUndefined();
        expect(failed.completedAt).toEqual(expect.stringMatching(ISO_TIME));
        expect(await jobs.claim(LEASE_MS)).toBeUndefined();
      });

      it('writes nothing for a stale, wrong or malformed token', async () => {
        const { id } = await jobs.create('alice', chat);
        const stale = await claim(1000);
        await harness.advanceTime(1000);
        const fresh = await claim(1000);

        for (const token of [stale.token, 'A'.repeat(22), '', 'x\u0000', `${fresh.token} `]) {
          expect(await jobs.complete(id, token, 'stale')).toBe(false);
          expect(await jobs.fail(id, token, { code: 'X', message: 'stale' })).toBe(false);
          expect(await jobs.requeue(id, token, 0)).toBe(false);
        }
        expect(await jobs.complete('job_AAAAAAAAAAAAAAAAAAAAAAAA', fresh.token, 1)).toBe(false);
        expect(await jobs.get('alice', id)).toEqual(fresh.job);
        expect(await jobs.complete(id, fresh.token, 'fresh')).toBe(true);
        expect((await jobs.get('alice', id))?.result).toBe('fresh');
      });

      it('lets a runner past its lease finish when no other runner took the job', async () => {
        // Work finished late is still the only answer there is; the lease only decides when
        // another runner may take over.
        const { id } = await jobs.create('alice', chat);
        const { token } = await claim(100);
        await harness.advanceTime(100);

        expect(await jobs.complete(id, token, 'late')).toBe(true);
        expect(await jobs.claim(LEASE_MS)).toBeUndefined();
      });

      it('purges finished jobs past retention, keeping live ones and pending webhooks', async () => {
        const done = await jobs.create('alice', chat);
        const failed = await jobs.create('alice', chat);
        const hooked = await jobs.create('alice', { ...chat, webhookUrl: HOOK });
        for (const job of [done, failed, hooked]) {
          const taken = await claim();
          expect(taken.job.id).toBe(job.id);
          if (job === failed) await jobs.fail(job.id, taken.token, { code: 'X', message: 'no' });
          else await jobs.complete(job.id, taken.token, { ok: true });
        }
        const queued = await jobs.create('alice', chat);
        await harness.advanceTime(1_000);

        expect(await jobs.purgeFinished(1_000)).toBe(0);
        await harness.advanceTime(1);
        expect(await jobs.purgeFinished(1_000)).toBe(2);
        expect(await jobs.get('alice', done.id)).toBeUndefined();
        expect(await jobs.get('alice', failed.id)).toBeUndefined();
        expect(await jobs.get('alice', hooked.id)).toMatchObject({ webhookStatus: 'pending' });
        expect(await jobs.get('alice', queued.id)).toMatchObject({ status: 'queued' });

        const webhook = await claimWebhook();
        await jobs.recordWebhook(webhook.job.id, webhook.token, { status: 'delivered' });
        expect(await jobs.purgeFinished(1_000)).toBe(1);
        await expect(jobs.purgeFinished(-1)).rejects.toThrow('olderThanMs');
      });

      it("renews a running job's lease while its claim holds, and only then", async () => {
        const { id } = await jobs.create('alice', chat);
        const { token } = await claim(1_000);
        await harness.advanceTime(900);
        expect(await jobs.renew(id, token, 1_000)).toBe(true);
        await harness.advanceTime(900);
        expect(await jobs.claim(LEASE_MS)).toBeUndefined();
        await harness.advanceTime(101);
        const taken = await claim();
        expect(taken.job).toMatchObject({ id, attempts: 2 });
        expect(await jobs.renew(id, token, 1_000)).toBe(false);
        expect(await jobs.renew(id, taken.token, 1_000)).toBe(true);
        await jobs.complete(id, taken.token, { ok: true });
        expect(await jobs.renew(id, taken.token, 1_000)).toBe(false);
        await expect(jobs.renew(id, taken.token, 0)).rejects.toThrow();
      });

      it('puts a requeued job behind the jobs that fell due before it', async () => {
        const older = await jobs.create('alice', chat);
        await harness.advanceTime(1);
        const newer = await jobs.create('alice', chat);
        await harness.advanceTime(1);
        const { token, job } = await claim();
        expect(job.id).toBe(older.id);
        expect(await jobs.requeue(older.id, token, 0)).toBe(true);

        expect((await claim()).job.id).toBe(newer.id);
        expect((await claim()).job.id).toBe(older.id);
      });

      it('requeues a job, due again only after the delay', async () => {
        const older = await jobs.create('alice', chat);
        await harness.advanceTime(1);
        const { token } = await claim();
        const newer = await jobs.create('alice', chat);
        await harness.advanceTime(1);

        expect(await jobs.requeue(older.id, token, 5000)).toBe(true);
        expect(await jobs.get('alice', older.id)).toMatchObject({ status: 'queued', attempts: 1 });
        expect((await claim()).job.id).toBe(newer.id);
        await harness.advanceTime(4999);
        expect(await jobs.claim(LEASE_MS)).toBeUndefined();
        await harness.advanceTime(1);
        const again = await claim();

        expect(again.job).toMatchObject({ id: older.id, status: 'running', attempts: 2 });
        expect(await jobs.requeue(older.id, token, 0)).toBe(false);
      });

      it('refuses lease and delay lengths that are not whole milliseconds', async () => {
        const { id } = await jobs.create('alice', chat);
        for (const leaseMs of [0, -1, 1.5, Number.NaN]) {
          await expect(jobs.claim(leaseMs)).rejects.toThrow('leaseMs must be a positive integer.');
        }
        const { token } = await claim();
        await expect(jobs.requeue(id, token, -1)).rejects.toThrow(
          'delayMs must be a non-negative integer.',
        );
        await expect(jobs.complete(id, token, () => 1)).rejects.toThrow(
          'The job result is not JSON.',
        );
        expect((await jobs.get('alice', id))?.status).toBe('running');
      });

      it('gives each of many jobs to exactly one of many concurrent claimers', async () => {
        const other =
          capabilities.sharedClients === true
            ? await requireCapability(harness.connectAnother, 'connectAnother')()
            : jobs;
        const created = await Promise.all(
          Array.from({ length: 30 }, () => jobs.create('alice', chat)),
        );
        const claimed: string[] = [];
        const claimer = async (client: JobStore) => {
          for (let next = await client.claim(LEASE_MS); next; next = await client.claim(LEASE_MS)) {
            claimed.push(next.job.id);
          }
        };

        await Promise.all(Array.from({ length: 6 }, (_, i) => claimer(i % 2 ? other : jobs)));

        expect([...claimed].sort()).toEqual(created.map((job) => job.id).sort());
      });
    });

    describeJobWebhookContract(() => harness);

    it('stores large and hostile payloads exactly', async () => {
      const owner = 'ユーザー🦊\u0000';
      const payload = {
        messages: hostileMessages(),
        '\u0000key': ['\uD800', '\uDFFF', '\u2028'],
        order: { z: 1, a: 2, '10': 3, '2': 4 },
        sql: "'); DROP TABLE jobs; --",
      };
      const wire = (value: unknown) => JSON.stringify(value);
      const { id } = await jobs.create(owner, {
        kind: 'kind\u202E',
        request: JSON.parse(wire(payload)) as unknown,
        webhookUrl: HOOK,
      });
      const { token, job } = await claim();
      expect(wire(job.request)).toBe(wire(payload));
      await jobs.complete(id, token, { echo: payload });

      const stored = must(await jobs.get(owner, id), 'the job');
      expect(stored.kind).toBe('kind\u202E');
      expect(wire(stored.request)).toBe(wire(payload));
      expect(wire(stored.result)).toBe(wire({ echo: payload }));
      expect(wire((await claimWebhook()).job.result)).toBe(wire({ echo: payload }));
    });

    it.runIf(capabilities.durable === true)(
      'keeps jobs, claims and webhooks across a restart',
      async () => {
        const delayed = await jobs.create('alice', chat);
        const running = await jobs.create('alice', chat);
        const done = await jobs.create('alice', { ...chat, webhookUrl: HOOK });
        await jobs.requeue(delayed.id, (await claim()).token, 10_000);
        await claim(5000);
        await jobs.complete(done.id, (await claim()).token, 'kept');
        const read = () =>
          Promise.all([delayed, running, done].map((job) => jobs.get('alice', job.id)));
        const before = await read();

        jobs = await requireCapability(harness.reopen, 'reopen')();

        expect(await read()).toEqual(before);
        expect(before.map((job) => job?.status)).toEqual(['queued', 'running', 'succeeded']);
        expect((await claimWebhook()).job.id).toBe(done.id);
        expect(await jobs.claim(LEASE_MS)).toBeUndefined();
        await harness.advanceTime(5000);
        expect((await claim()).job).toMatchObject({ id: running.id, attempts: 2 });
        await harness.advanceTime(5000);
        expect((await claim()).job).toMatchObject({ id: delayed.id, attempts: 2 });
      },
    );
  });
}
