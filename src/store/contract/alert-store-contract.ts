import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRampartError } from '../../core/index.js';
import type { AlertInput, AlertStore } from '../alert-types.js';
import {
  requireCapability,
  type ContractCapabilities,
  type ContractHarness,
  type HarnessFactory,
} from './harness.js';

const T0 = Date.UTC(2026, 0, 5, 10);
const HOOK_A = 'http://127.0.0.1:9/a';
const HOOK_B = 'http://127.0.0.1:9/b';

/** An anomaly alert on a tool's error rate; fields can be changed per test. */
export function alertInput(overrides: Partial<AlertInput> = {}): AlertInput {
  return {
    kind: 'anomaly',
    series: 'tool_error_rate',
    key: 'search',
    rule: '',
    severity: 'warning',
    openedAt: T0,
    value: 0.25,
    baseline: { median: 0.02, mad: 0.004 },
    deviations: 38.78,
    message: 'tool_error_rate of search is 0.25',
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isRampartError(error, 'RAMPART_INVALID_REQUEST')) return error.code;
    throw error;
  }
  return 'accepted';
}

/**
 * The behaviour every AlertStore backend must show: at most one open alert per subject, the
 * deliveries each transition owes (claimed by one worker at a time, retried, given up), and
 * the evaluator lease. Time moves only through `advanceTime`.
 */
export function describeAlertStoreContract(
  name: string,
  factory: HarnessFactory<AlertStore>,
  capabilities: ContractCapabilities = {},
): void {
  describe(`AlertStore contract: ${name}`, () => {
    let harness: ContractHarness<AlertStore>;
    let alerts: AlertStore;

    beforeEach(async () => {
      harness = await factory();
      alerts = harness.store;
    });
    afterEach(() => harness.close());

    /** Claims every due delivery: `[event, url, alert state]` each, marked delivered. */
    async function drain(): Promise<string[][]> {
      const seen: string[][] = [];
      for (;;) {
        const claim = await alerts.claimDelivery(60_000);
        if (!claim) return seen;
        const { event, url, alert } = claim.delivery;
        seen.push([event, url, alert.state]);
        expect(
          await alerts.recordDelivery(claim.delivery.id, claim.token, { status: 'delivered' }),
        ).toBe(true);
      }
    }

    describe('transitions', () => {
      it('opens an alert with every field kept exactly', async () => {
        const input = alertInput({ value: 0.1 + 0.2, baseline: { median: 1e-300, mad: 0 } });
        const { alert, created } = await alerts.open(input, []);

        expect(created).toBe(true);
        expect(alert.id).toMatch(/^alt_[A-Za-z0-9_-]{24}$/);
        expect(alert).toEqual({ ...input, id: alert.id, state: 'open' });
        expect(await alerts.list({ state: 'open', limit: 10 })).toEqual([alert]);
      });

      it('keeps one open alert per kind, series, key and rule', async () => {
        const first = await alerts.open(alertInput(), [HOOK_A]);
        const again = await alerts.open(alertInput({ value: 0.5, openedAt: T0 + 60_000 }), [
          HOOK_A,
        ]);
        const other = await alerts.open(alertInput({ key: 'weather' }), []);
        const threshold = await alerts.open(
          alertInput({ kind: 'threshold', rule: 'above:0.1' }),
          [],
        );

        expect(again).toEqual({ alert: first.alert, created: false });
        expect(other.created).toBe(true);
        expect(threshold.created).toBe(true);
        expect(await drain()).toEqual([['opened', HOOK_A, 'open']]);
      });

      it('resolves once, after which the subject may open again', async () => {
        const { alert } = await alerts.open(alertInput(), []);

        const resolved = await alerts.resolve(alert.id, T0 + 600_000, []);
        expect(resolved).toEqual({ ...alert, state: 'resolved', resolvedAt: T0 + 600_000 });
        expect(await alerts.resolve(alert.id, T0 + 700_000, [])).toBeUndefined();

        const reopened = await alerts.open(alertInput({ openedAt: T0 + 900_000 }), []);
        expect(reopened.created).toBe(true);
        expect(reopened.alert.id).not.toBe(alert.id);
      });

      it('answers unknown and malformed ids with nothing', async () => {
        expect(await alerts.resolve('alt_AAAAAAAAAAAAAAAAAAAAAAAA', T0, [])).toBeUndefined();
        expect(await alerts.resolve('nope', T0, [])).toBeUndefined();
        expect(await alerts.recordDelivery('dlv_x', 'token', { status: 'delivered' })).toBe(false);
      });

      it('lists by state, newest opened first, up to the limit', async () => {
        const first = await alerts.open(alertInput({ key: 'a', openedAt: T0 }), []);
        const second = await alerts.open(alertInput({ key: 'b', openedAt: T0 + 1_000 }), []);
        const third = await alerts.open(alertInput({ key: 'c', openedAt: T0 + 2_000 }), []);
        await alerts.resolve(second.alert.id, T0 + 3_000, []);

        const ids = async (state: 'open' | 'resolved' | 'all', limit = 10) =>
          (await alerts.list({ state, limit })).map((alert) => alert.key);
        expect(await ids('open')).toEqual(['c', 'a']);
        expect(await ids('resolved')).toEqual(['b']);
        expect(await ids('all')).toEqual(['c', 'b', 'a']);
        expect(await ids('all', 2)).toEqual(['c', 'b']);
        expect(first.alert.id).not.toBe(third.alert.id);
      });

      it('keeps names with braces, quotes and emoji exactly', async () => {
        const key = '{tool}"😀\\';
        const { alert } = await alerts.open(alertInput({ key, message: 'a "quoted" 😀' }), []);
        expect((await alerts.list({ state: 'open', limit: 1 }))[0]).toEqual(alert);
        expect(alert.key).toBe(key);
      });

      it('refuses input no backend could keep exactly', async () => {
        const bad: Partial<AlertInput>[] = [
          { value: Number.NaN },
          { value: Number.POSITIVE_INFINITY },
          { series: '' },
          { key: 'x'.repeat(257) },
          { key: '\ud800' },
          { message: 'x'.repeat(4_097) },
          { openedAt: -1 },
          { openedAt: 1.5 },
          { kind: 'other' as 'anomaly' },
          { severity: 'loud' as 'info' },
          { baseline: { median: Number.NaN, mad: 0 } },
        ];
        for (const overrides of bad) {
          expect(await refusal(alerts.open(alertInput(overrides), []))).toBe(
            'RAMPART_INVALID_REQUEST',
          );
        }
        expect(await refusal(alerts.open(alertInput(), ['file:///etc/passwd']))).toBe(
          'RAMPART_INVALID_REQUEST',
        );
        expect(await refusal(alerts.list({ state: 'open', limit: 0 }))).toBe(
          'RAMPART_INVALID_REQUEST',
        );
        expect(await alerts.list({ state: 'all', limit: 10 })).toEqual([]);
      });

      it('opens one alert when many open the same subject at once', async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, () => alerts.open(alertInput(), [HOOK_A])),
        );
        expect(results.filter((result) => result.created)).toHaveLength(1);
        expect(new Set(results.map((result) => result.alert.id)).size).toBe(1);
        expect(await drain()).toEqual([['opened', HOOK_A, 'open']]);
      });
    });

    describe('deliveries', () => {
      it('owes each URL one delivery per transition, with the alert as it was then', async () => {
        const { alert } = await alerts.open(alertInput(), [HOOK_A, HOOK_B]);
        await alerts.resolve(alert.id, T0 + 60_000, [HOOK_A, HOOK_B]);

        const seen = await drain();
        expect(seen.sort()).toEqual([
          ['opened', HOOK_A, 'open'],
          ['opened', HOOK_B, 'open'],
          ['resolved', HOOK_A, 'resolved'],
          ['resolved', HOOK_B, 'resolved'],
        ]);
      });

      it('gives the opened body without the resolution that came after', async () => {
        const { alert } = await alerts.open(alertInput(), [HOOK_A]);
        await alerts.resolve(alert.id, T0 + 60_000, []);

        const claim = await alerts.claimDelivery(60_000);
        expect(claim?.delivery).toEqual({
          id: expect.stringMatching(/^dlv_[A-Za-z0-9_-]{24}$/) as string,
          event: 'opened',
          url: HOOK_A,
          attempts: 0,
          alert: { ...alert, state: 'open' },
        });
      });

      it('lets one worker hold a claim until its lease runs out', async () => {
        await alerts.open(alertInput(), [HOOK_A]);
        const first = await alerts.claimDelivery(30_000);
        expect(first).toBeDefined();
        expect(await alerts.claimDelivery(30_000)).toBeUndefined();

        await harness.advanceTime(30_000);
        const second = await alerts.claimDelivery(30_000);
        expect(second?.delivery.id).toBe(first?.delivery.id);
        expect(second?.token).not.toBe(first?.token);
        expect(
          await alerts.recordDelivery(first!.delivery.id, first!.token, { status: 'failed' }),
        ).toBe(false);
        const done = { status: 'delivered' } as const;
        expect(await alerts.recordDelivery(second!.delivery.id, second!.token, done)).toBe(true);
        expect(await alerts.claimDelivery(30_000)).toBeUndefined();
      });

      it('retries a pending delivery after its wait, counting the attempts', async () => {
        await alerts.open(alertInput(), [HOOK_A]);
        const first = (await alerts.claimDelivery(30_000))!;
        const retry = { status: 'pending', retryInMs: 5_000 } as const;
        expect(await alerts.recordDelivery(first.delivery.id, first.token, retry)).toBe(true);
        expect(await alerts.recordDelivery(first.delivery.id, first.token, retry)).toBe(false);

        await harness.advanceTime(4_999);
        expect(await alerts.claimDelivery(30_000)).toBeUndefined();
        await harness.advanceTime(1);
        const second = (await alerts.claimDelivery(30_000))!;
        expect(second.delivery.attempts).toBe(1);

        expect(
          await alerts.recordDelivery(second.delivery.id, second.token, { status: 'failed' }),
        ).toBe(true);
        await harness.advanceTime(60_000);
        expect(await alerts.claimDelivery(30_000)).toBeUndefined();
      });

      it('gives each due delivery to one of many concurrent claimers', async () => {
        await alerts.open(alertInput(), [HOOK_A, HOOK_B]);
        const claims = await Promise.all(
          Array.from({ length: 8 }, () => alerts.claimDelivery(30_000)),
        );
        const taken = claims.filter((claim) => claim !== undefined);
        expect(taken.map((claim) => claim.delivery.url).sort()).toEqual([HOOK_A, HOOK_B]);
      });
    });

    describe('retention', () => {
      it('purges alerts resolved before the cutoff, and what they still owe', async () => {
        const old = await alerts.open(alertInput({ key: 'old' }), []);
        const recent = await alerts.open(alertInput({ key: 'recent' }), []);
        const open = await alerts.open(alertInput({ key: 'open' }), []);
        await alerts.resolve(old.alert.id, T0 + 1_000, [HOOK_A]);
        await alerts.resolve(recent.alert.id, T0 + 5_000, []);

        expect(await alerts.purgeResolved(T0 + 5_000)).toBe(1);
        const left = await alerts.list({ state: 'all', limit: 10 });
        expect(left.map((alert) => alert.key).sort()).toEqual(['open', 'recent']);
        expect(await alerts.claimDelivery(30_000)).toBeUndefined();
        expect(open.created).toBe(true);
      });
    });

    describe('lease', () => {
      it('lets one holder evaluate at a time, until it lapses or is released', async () => {
        expect(await alerts.acquireLease('a', 10_000)).toBe(true);
        expect(await alerts.acquireLease('b', 10_000)).toBe(false);
        expect(await alerts.acquireLease('a', 10_000)).toBe(true);

        await harness.advanceTime(9_999);
        expect(await alerts.acquireLease('b', 10_000)).toBe(false);
        await harness.advanceTime(1);
        expect(await alerts.acquireLease('b', 10_000)).toBe(true);

        await alerts.releaseLease('a');
        expect(await alerts.acquireLease('a', 10_000)).toBe(false);
        await alerts.releaseLease('b');
        expect(await alerts.acquireLease('a', 10_000)).toBe(true);
      });
    });

    if (capabilities.durable) {
      it('keeps alerts and owed deliveries across a reopen', async () => {
        const { alert } = await alerts.open(alertInput(), [HOOK_A]);
        const reopened = await requireCapability(harness.reopen, 'reopen')();

        expect(await reopened.list({ state: 'open', limit: 5 })).toEqual([alert]);
        const claim = await reopened.claimDelivery(30_000);
        expect(claim?.delivery.alert).toEqual(alert);
      });
    }

    if (capabilities.sharedClients) {
      it('opens one alert when two clients open the same subject at once', async () => {
        const other = await requireCapability(harness.connectAnother, 'connectAnother')();
        const results = await Promise.all([
          ...Array.from({ length: 5 }, () => alerts.open(alertInput(), [HOOK_A])),
          ...Array.from({ length: 5 }, () => other.open(alertInput(), [HOOK_A])),
        ]);
        expect(results.filter((result) => result.created)).toHaveLength(1);
        const claims = await Promise.all([
          alerts.claimDelivery(30_000),
          other.claimDelivery(30_000),
        ]);
        expect(claims.filter((claim) => claim !== undefined)).toHaveLength(1);
      });

      it('gives the lease to one of two clients', async () => {
        const other = await requireCapability(harness.connectAnother, 'connectAnother')();
        const held = await Promise.all([
          alerts.acquireLease('a', 10_000),
          other.acquireLease('b', 10_000),
        ]);
        expect(held.filter(Boolean)).toHaveLength(1);
      });
    }
  });
}
