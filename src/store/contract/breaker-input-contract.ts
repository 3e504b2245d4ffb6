import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BreakerOutcome, BreakerPolicy, BreakerStore } from '../types.js';
import { CLOSED, MODEL, POLICY } from './breaker-fixtures.js';
import type { ContractHarness, HarnessFactory } from './harness.js';

/** Every BreakerStore refuses bad ids, policies and reports as defects, and counts nothing. */
export function describeBreakerInputContract(
  name: string,
  factory: HarnessFactory<BreakerStore>,
): void {
  describe(`BreakerStore contract: ${name}`, () => {
    let harness: ContractHarness<BreakerStore>;
    let breakers: BreakerStore;

    beforeEach(async () => {
      harness = await factory();
      breakers = harness.store;
    });
    afterEach(() => harness.close());

    async function report(outcomes: BreakerOutcome[]) {
      const states: string[] = [];
      for (const outcome of outcomes)
        states.push(await breakers.record(MODEL, outcome, POLICY, false));
      return states;
    }

    describe('input', () => {
      const policies: [Partial<BreakerPolicy>, string][] = [
        [{ windowMs: 0 }, 'windowMs must be an integer from 1'],
        [{ windowMs: 1.5 }, 'windowMs must be an integer from 1'],
        [{ windowMs: Number.NaN }, 'windowMs must be an integer from 1'],
        [{ windowMs: 2 ** 31 }, 'windowMs must be an integer from 1'],
        [{ openMs: -1 }, 'openMs must be an integer from 1'],
        [{ probeLeaseMs: Number.POSITIVE_INFINITY }, 'probeLeaseMs must be an integer from 1'],
        [{ minRequests: 0 }, 'minRequests must be an integer of at least 1.'],
        [{ minRequests: Number.NaN }, 'minRequests must be an integer of at least 1.'],
        [{ failureRate: 0 }, 'failureRate must be a number in (0, 1].'],
        [{ failureRate: 1.01 }, 'failureRate must be a number in (0, 1].'],
        [{ failureRate: Number.NaN }, 'failureRate must be a number in (0, 1].'],
      ];

      /** Every operation refuses the same input, as a defect (`RAMPART_INTERNAL`). */
      async function expectRefused(id: string, policy: BreakerPolicy, message: string) {
        const error = {
          code: 'RAMPART_INTERNAL',
          message: expect.stringContaining(message) as unknown,
        };
        await expect(breakers.admit(id, policy)).rejects.toMatchObject(error);
        await expect(breakers.record(id, 'failure', policy, false)).rejects.toMatchObject(error);
        await expect(breakers.state(id, policy)).rejects.toMatchObject(error);
      }

      it('refuses policy numbers out of range, naming the field', async () => {
        for (const [change, message] of policies) {
          await expectRefused(MODEL, { ...POLICY, ...change }, message);
        }
        expect(await breakers.admit(MODEL, { ...POLICY, failureRate: 1, windowMs: 1 })).toEqual(
          CLOSED,
        );
      });

      it('refuses an empty or malformed id, and reports that are not outcomes', async () => {
        for (const id of ['', 'model\uD800', undefined as unknown as string]) {
          await expectRefused(id, POLICY, 'breaker id must be a non-empty, well-formed string.');
        }
        const bad = 'maybe' as BreakerOutcome;
        await expect(breakers.record(MODEL, bad, POLICY, false)).rejects.toMatchObject({
          code: 'RAMPART_INTERNAL',
          message: "breaker outcome must be 'success', 'failure' or 'abandoned'.",
        });
        await expect(
          breakers.record(MODEL, 'failure', POLICY, 'yes' as unknown as boolean),
        ).rejects.toMatchObject({
          code: 'RAMPART_INTERNAL',
          message: 'breaker probe flag must be a boolean.',
        });

        expect(await report(['failure', 'failure', 'failure'])).toEqual([
          'closed',
          'closed',
          'closed',
        ]);
      });
    });
  });
}
