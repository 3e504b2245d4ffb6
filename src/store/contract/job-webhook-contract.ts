import { describe, expect, it } from 'vitest';
import type { JobStore, WebhookClaim } from '../types.js';
import type { ContractHarness } from './harness.js';
import { chat, HOOK, LEASE_MS, must } from './job-fixtures.js';

/**
 * The webhook half of the JobStore contract, run inside `describeJobStoreContract` with the
 * harness of the test at hand.
 */
export function describeJobWebhookContract(current: () => ContractHarness<JobStore>): void {
  const jobs = () => current().store;
  const claim = async () => must(await jobs().claim(LEASE_MS), 'a claim');
  const claimWebhook = async (leaseMs = LEASE_MS): Promise<WebhookClaim> =>
    must(await jobs().claimWebhook(leaseMs), 'a webhook claim');

  /** A job with a webhook, run and finished, so its webhook is due. */
  async function finishedWithWebhook(result: unknown = { ok: true }) {
    const created = await jobs().create('alice', { ...chat, webhookUrl: HOOK });
    const { token } = await claim();
    expect(await jobs().complete(created.id, token, result)).toBe(true);
    return created;
  }

  describe('webhooks', () => {
    it('never offers a job without a webhook, nor one not yet finished', async () => {
      const plain = await jobs().create('alice', chat);
      const { token } = await claim();
      await jobs().complete(plain.id, token, 'done');
      await jobs().create('alice', { ...chat, webhookUrl: HOOK });
      await claim();
      await current().advanceTime(1000);

      expect(await jobs().claimWebhook(LEASE_MS)).toBeUndefined();
      expect((await jobs().get('alice', plain.id))?.webhookStatus).toBe('none');
    });

    it('records a delivered webhook once', async () => {
      const { id } = await finishedWithWebhook({ answer: 42 });

      const { token, job } = await claimWebhook();
      expect(job).toMatchObject({ id, status: 'succeeded', result: { answer: 42 } });
      expect(job.webhookStatus).toBe('pending');
      expect(await jobs().recordWebhook(id, token, { status: 'delivered' })).toBe(true);

      expect(await jobs().get('alice', id)).toMatchObject({
        webhookStatus: 'delivered',
        webhookAttempts: 1,
      });
      expect(await jobs().recordWebhook(id, token, { status: 'failed' })).toBe(false);
      await current().advanceTime(LEASE_MS);
      expect(await jobs().claimWebhook(LEASE_MS)).toBeUndefined();
    });

    it('offers the webhook of a failed job too', async () => {
      const { id } = await jobs().create('alice', { ...chat, webhookUrl: HOOK });
      await jobs().fail(id, (await claim()).token, { code: 'E', message: 'gave up' });

      expect((await claimWebhook()).job).toMatchObject({ id, status: 'failed' });
    });

    it('retries a pending webhook after its delay, then fails it for good', async () => {
      const { id } = await finishedWithWebhook();
      const first = await claimWebhook();

      expect(
        await jobs().recordWebhook(id, first.token, { status: 'pending', retryInMs: 2000 }),
      ).toBe(true);
      expect(await jobs().get('alice', id)).toMatchObject({
        webhookStatus: 'pending',
        webhookAttempts: 1,
      });
      await current().advanceTime(1999);
      expect(await jobs().claimWebhook(LEASE_MS)).toBeUndefined();
      await current().advanceTime(1);
      const second = await claimWebhook();
      expect(await jobs().recordWebhook(id, second.token, { status: 'failed' })).toBe(true);

      expect(await jobs().get('alice', id)).toMatchObject({
        webhookStatus: 'failed',
        webhookAttempts: 2,
      });
      await current().advanceTime(LEASE_MS);
      expect(await jobs().claimWebhook(LEASE_MS)).toBeUndefined();
    });

    it('offers a claimed webhook again only after its lease, to the new holder', async () => {
      const { id } = await finishedWithWebhook();
      const stale = await claimWebhook(1000);

      await current().advanceTime(999);
      expect(await jobs().claimWebhook(1000)).toBeUndefined();
      await current().advanceTime(1);
      const fresh = await claimWebhook(1000);

      expect(fresh.token).not.toBe(stale.token);
      expect(await jobs().recordWebhook(id, stale.token, { status: 'delivered' })).toBe(false);
      expect((await jobs().get('alice', id))?.webhookAttempts).toBe(0);
      expect(await jobs().recordWebhook(id, fresh.token, { status: 'delivered' })).toBe(true);
    });

    it('offers the webhook due longest first', async () => {
      const first = await finishedWithWebhook();
      await current().advanceTime(1);
      const second = await finishedWithWebhook();

      expect((await claimWebhook()).job.id).toBe(first.id);
      expect((await claimWebhook()).job.id).toBe(second.id);
    });

    it('refuses an outcome it does not know', async () => {
      const { id } = await finishedWithWebhook();
      const { token } = await claimWebhook();
      const unknown = { status: 'sent' } as unknown as { status: 'delivered' };

      await expect(jobs().recordWebhook(id, token, unknown)).rejects.toThrow(
        "A webhook outcome's status must be delivered, pending or failed.",
      );
      await expect(
        jobs().recordWebhook(id, token, { status: 'pending', retryInMs: -5 }),
      ).rejects.toThrow('retryInMs must be a non-negative integer.');
      expect(await jobs().recordWebhook(id, token, { status: 'delivered' })).toBe(true);
    });
  });
}
