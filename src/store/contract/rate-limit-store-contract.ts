import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RateLimitResult, RateLimitStore, RateLimitTakeOptions } from '../types.js';
import {
  requireCapability,
  type ContractCapabilities,
  type ContractHarness,
  type HarnessFactory,
} from './harness.js';

/** Five units a minute: one unit comes back every 12 s. */
const RPM = { limit: 5, windowMs: 60_000, cost: 1 };

function allowed(remaining: number, resetAfterMs: number): RateLimitResult {
  return { allowed: true, remaining, retryAfterMs: 0, resetAfterMs };
}

function refused(retryAfterMs: number, resetAfterMs: number): RateLimitResult {
  return { allowed: false, remaining: 0, retryAfterMs, resetAfterMs };
}

/**
 * The behaviour every RateLimitStore backend must show: GCRA with a burst of `limit`, where
 * refused takes consume nothing. Time moves only through `advanceTime`.
 */
export function describeRateLimitStoreContract(
  name: string,
  factory: HarnessFactory<RateLimitStore>,
  capabilities: ContractCapabilities = {},
): void {
  describe(`RateLimitStore contract: ${name}`, () => {
    let harness: ContractHarness<RateLimitStore>;
    let limits: RateLimitStore;

    beforeEach(async () => {
      harness = await factory();
      limits = harness.store;
    });
    afterEach(() => harness.close());

    const takeMany = (count: number, key = 'rpm:alice', options = RPM) =>
      Promise.all(Array.from({ length: count }, () => limits.take(key, options)));

    describe('takes', () => {
      it('admits exactly limit of limit + k takes at once', async () => {
        const results = await takeMany(8);

        const admitted = results.filter((result) => result.allowed);
        expect(admitted.map((result) => result.remaining).sort()).toEqual([0, 1, 2, 3, 4]);
        expect(results.filter((result) => !result.allowed)).toEqual([
          refused(12_000, 60_000),
          refused(12_000, 60_000),
          refused(12_000, 60_000),
        ]);
      });

      it('reports what is left and when the budget is whole again', async () => {
        expect(await limits.take('rpm:alice', RPM)).toEqual(allowed(4, 12_000));
        await harness.advanceTime(2_000);
        expect(await limits.take('rpm:alice', RPM)).toEqual(allowed(3, 22_000));
      });

      it('consumes nothing for refused takes', async () => {
        const tight = { limit: 2, windowMs: 60_000, cost: 1 };
        await takeMany(2, 'rpm:alice', tight);
        for (let attempt = 0; attempt < 10; attempt += 1) {
          await harness.advanceTime(1_000);
          expect((await limits.take('rpm:alice', tight)).allowed).toBe(false);
        }

        await harness.advanceTime(20_000);
        expect(await limits.take('rpm:alice', tight)).toEqual(allowed(0, 60_000));
        expect(await limits.take('rpm:alice', tight)).toEqual(refused(30_000, 60_000));
      });

      it('refills one unit per interval and the whole budget after the window', async () => {
        await takeMany(5);

        await harness.advanceTime(11_999);
        expect(await limits.take('rpm:alice', RPM)).toEqual(refused(1, 48_001));
        await harness.advanceTime(1);
        expect(await limits.take('rpm:alice', RPM)).toEqual(allowed(0, 60_000));

        await harness.advanceTime(60_000);
        const refilled = await takeMany(6);
        expect(refilled.filter((result) => result.allowed)).toHaveLength(5);
      });

      it('takes several units at once', async () => {
        const tokens = { limit: 100, windowMs: 60_000 };

        expect(await limits.take('tpm:alice', { ...tokens, cost: 60 })).toEqual(
          allowed(40, 36_000),
        );
        expect(await limits.take('tpm:alice', { ...tokens, cost: 50 })).toEqual(
          refused(6_000, 36_000),
        );
        expect(await limits.take('tpm:alice', { ...tokens, cost: 40 })).toEqual(allowed(0, 60_000));
        expect(await limits.take('tpm:alice', { ...tokens, cost: 0 })).toEqual(allowed(0, 60_000));
        expect(await limits.take('tpm:alice', { ...tokens, cost: 1 })).toEqual(
          refused(600, 60_000),
        );
      });

      it('refuses a cost above the limit with a whole window to wait, consuming nothing', async () => {
        expect(await limits.take('tpm:alice', { limit: 10, windowMs: 1_000, cost: 11 })).toEqual(
          refused(1_000, 0),
        );
        expect(await limits.take('tpm:alice', { limit: 10, windowMs: 1_000, cost: 10 })).toEqual(
          allowed(0, 1_000),
        );
      });

      it('keeps exact time when the interval is not a whole millisecond', async () => {
        const thirds = { limit: 3, windowMs: 1_000, cost: 1 };
        const results = await takeMany(3, 'rps:alice', thirds);
        expect(results.map((result) => result.remaining).sort()).toEqual([0, 1, 2]);

        expect(await limits.take('rps:alice', thirds)).toEqual(refused(334, 1_000));
        await harness.advanceTime(333);
        expect(await limits.take('rps:alice', thirds)).toEqual(refused(1, 667));
        await harness.advanceTime(1);
        expect(await limits.take('rps:alice', thirds)).toEqual(allowed(0, 1_000));
        await harness.advanceTime(1_000);
        const again = await takeMany(4, 'rps:alice', thirds);
        expect(again.filter((result) => result.allowed)).toHaveLength(3);
      });

      it('keeps keys apart', async () => {
        await takeMany(5, 'rpm:alice');

        expect((await limits.take('rpm:alice', RPM)).allowed).toBe(false);
        expect(await limits.take('rpm:bob', RPM)).toEqual(allowed(4, 12_000));
        expect(await limits.take('rpm:alice ', RPM)).toEqual(allowed(4, 12_000));
        expect(await limits.take('rpm:{alice}', RPM)).toEqual(allowed(4, 12_000));
        expect(await limits.take('tpm:alice', RPM)).toEqual(allowed(4, 12_000));
      });

      it('admits exactly limit of 50 concurrent takes', async () => {
        const burst = { limit: 20, windowMs: 60_000, cost: 1 };
        const results = await takeMany(50, 'rpm:burst', burst);
        expect(results.filter((result) => result.allowed)).toHaveLength(20);
      });

      it.runIf(capabilities.sharedClients === true)(
        'admits exactly limit of 50 takes spread over two clients',
        async () => {
          const other = await requireCapability(harness.connectAnother, 'connectAnother')();
          const burst = { limit: 20, windowMs: 60_000, cost: 1 };

          const results = await Promise.all(
            Array.from({ length: 50 }, (_, index) =>
              (index % 2 === 0 ? limits : other).take('rpm:shared', burst),
            ),
          );

          expect(results.filter((result) => result.allowed)).toHaveLength(20);
          expect((await other.take('rpm:shared', burst)).allowed).toBe(false);
        },
      );
    });

    describe('adjust', () => {
      const budget = { limit: 10, windowMs: 10_000 };

      it('charges more units after the fact', async () => {
        await limits.take('tpm:alice', { ...budget, cost: 1 });
        await limits.adjust('tpm:alice', { ...budget, delta: 5 });

        expect(await limits.take('tpm:alice', { ...budget, cost: 1 })).toEqual(allowed(3, 7_000));
      });

      it('gives units back, never more than the whole budget', async () => {
        await limits.take('tpm:alice', { ...budget, cost: 8 });
        await limits.adjust('tpm:alice', { ...budget, delta: -5 });
        expect(await limits.take('tpm:alice', { ...budget, cost: 1 })).toEqual(allowed(6, 4_000));

        await limits.adjust('tpm:alice', { ...budget, delta: -100 });
        expect(await limits.take('tpm:alice', { ...budget, cost: 1 })).toEqual(allowed(9, 1_000));
        await limits.adjust('tpm:fresh', { ...budget, delta: -3 });
        expect(await limits.take('tpm:fresh', { ...budget, cost: 10 })).toEqual(allowed(0, 10_000));
      });

      it('lets the budget go into debt and pays it off over time', async () => {
        await limits.adjust('tpm:alice', { ...budget, delta: 25 });

        expect(await limits.take('tpm:alice', { ...budget, cost: 1 })).toEqual(
          refused(16_000, 25_000),
        );
        await harness.advanceTime(16_000);
        expect(await limits.take('tpm:alice', { ...budget, cost: 1 })).toEqual(allowed(0, 10_000));
      });
    });

    describe('input', () => {
      it('refuses budgets and keys it cannot count exactly', async () => {
        const cases: [string, RateLimitTakeOptions, string][] = [
          ['k', { limit: 0, windowMs: 1_000, cost: 1 }, 'limit must be an integer of at least 1.'],
          [
            'k',
            { limit: 1.5, windowMs: 1_000, cost: 1 },
            'limit must be an integer of at least 1.',
          ],
          ['k', { limit: 1, windowMs: 0, cost: 1 }, 'windowMs must be an integer of at least 1.'],
          ['k', { limit: 1, windowMs: 1_000, cost: -1 }, 'cost must be an integer of at least 0.'],
          ['k', { limit: 1, windowMs: 1_000, cost: Number.NaN }, 'cost must be an integer'],
          ['k', { limit: 1e9, windowMs: 1e9, cost: 1 }, 'limit * windowMs is too large.'],
          ['', { limit: 1, windowMs: 1_000, cost: 1 }, 'key must be a non-empty string.'],
          ['k\uD800', { limit: 1, windowMs: 1_000, cost: 1 }, 'key is not well-formed Unicode.'],
        ];
        for (const [key, options, message] of cases) {
          await expect(limits.take(key, options)).rejects.toThrow(message);
        }
        await expect(limits.adjust('k', { limit: 1, windowMs: 1_000, delta: 0.5 })).rejects.toThrow(
          'delta must be an integer.',
        );
      });
    });
  });
}
