import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BreakerAdmission, BreakerOutcome, BreakerStore } from '../types.js';
import { describeBreakerInputContract } from './breaker-input-contract.js';
import { CLOSED, MODEL, POLICY, PROBE, refused } from './breaker-fixtures.js';
import {
  requireCapability,
  type ContractCapabilities,
  type ContractHarness,
  type HarnessFactory,
} from './harness.js';

/**
 * The behaviour every BreakerStore backend must show: a sliding window of outcomes that opens
 * the breaker, a pause, then one probe at a time. Time moves only through `advanceTime`.
 */
export function describeBreakerStoreContract(
  name: string,
  factory: HarnessFactory<BreakerStore>,
  capabilities: ContractCapabilities = {},
): void {
  describeBreakerInputContract(name, factory);
  describe(`BreakerStore contract: ${name}`, () => {
    let harness: ContractHarness<BreakerStore>;
    let breakers: BreakerStore;

    beforeEach(async () => {
      harness = await factory();
      breakers = harness.store;
    });
    afterEach(() => harness.close());

    /** Reports the outcomes in order (non-probe); returns the state after each. */
    async function report(outcomes: BreakerOutcome[], id = MODEL, policy = POLICY) {
      const states: string[] = [];
      for (const outcome of outcomes)
        states.push(await breakers.record(id, outcome, policy, false));
      return states;
    }

    const trip = (id = MODEL) => report(['failure', 'failure', 'failure', 'failure'], id);

    /** The token a probe was admitted with. */
    const token = (admission: BreakerAdmission) =>
      admission.allowed ? admission.probeToken : undefined;

    async function tripAndWait(id = MODEL): Promise<void> {
      await trip(id);
      await harness.advanceTime(POLICY.openMs);
    }

    describe('closed', () => {
      it('stays closed below minRequests, even when every outcome fails', async () => {
        expect(await report(['failure', 'failure', 'failure'])).toEqual([
          'closed',
          'closed',
          'closed',
        ]);

        expect(await breakers.state(MODEL, POLICY)).toBe('closed');
        expect(await breakers.admit(MODEL, POLICY)).toEqual(CLOSED);
      });

      it('opens at exactly minRequests outcomes and exactly the failure rate', async () => {
        expect(await report(['success', 'success', 'failure', 'failure'])).toEqual([
          'closed',
          'closed',
          'closed',
          'open',
        ]);

        const other = 'anthropic:claude';
        expect(await report(['success', 'success', 'success', 'failure'], other)).toEqual([
          'closed',
          'closed',
          'closed',
          'closed',
        ]);
        expect(await report(['failure', 'failure'], other)).toEqual(['closed', 'open']);
      });

      it('counts only the outcomes within the window', async () => {
        await report(['failure', 'failure', 'failure'], 'early');
        await report(['failure', 'failure', 'failure'], 'late');

        await harness.advanceTime(9_000);
        expect(await report(['failure'], 'early')).toEqual(['open']);
        await harness.advanceTime(1_000);
        expect(await report(['failure', 'failure', 'failure'], 'late')).toEqual([
          'closed',
          'closed',
          'closed',
        ]);
        expect(await report(['failure'], 'late')).toEqual(['open']);
      });

      it('lets successes slide out of the window like failures', async () => {
        await report(['success', 'success', 'success', 'success']);
        await harness.advanceTime(9_000);
        expect(await report(['failure', 'failure'])).toEqual(['closed', 'closed']);

        await harness.advanceTime(1_000);
        expect(await report(['failure', 'success'])).toEqual(['closed', 'open']);
      });

      it('starts the window afresh when windowMs changes', async () => {
        await report(['failure', 'failure', 'failure']);
        const longer = { ...POLICY, windowMs: 20_000 };

        expect(await report(['failure', 'failure', 'failure'], MODEL, longer)).toEqual([
          'closed',
          'closed',
          'closed',
        ]);
        expect(await report(['failure'], MODEL, longer)).toEqual(['open']);
      });
    });

    describe('open', () => {
      it('refuses every call, saying when a probe may go', async () => {
        await trip();

        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('open', 5_000));
        await harness.advanceTime(1_500);
        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('open', 3_500));
        expect(await breakers.state(MODEL, POLICY)).toBe('open');
      });

      it('ignores the outcomes of calls that were admitted before it opened', async () => {
        await trip();
        await harness.advanceTime(1_000);

        expect(await report(['success', 'success', 'success', 'success', 'failure'])).toEqual([
          'open',
          'open',
          'open',
          'open',
          'open',
        ]);
        expect(await breakers.record(MODEL, 'success', POLICY, true)).toBe('open');
        await harness.advanceTime(4_000);
        expect(await breakers.admit(MODEL, POLICY)).toEqual(PROBE);
      });
    });

    describe('half-open', () => {
      it('lets exactly one of 20 concurrent admits through, as the probe', async () => {
        await tripAndWait();

        const admissions = await Promise.all(
          Array.from({ length: 20 }, () => breakers.admit(MODEL, POLICY)),
        );

        expect(admissions.filter((admission) => admission.allowed)).toEqual([PROBE]);
        expect(admissions.filter((admission) => !admission.allowed)).toEqual(
          Array.from({ length: 19 }, () => refused('half-open', 2_000)),
        );
      });

      it("closes on the probe's success, with an empty window", async () => {
        await tripAndWait();
        await breakers.admit(MODEL, POLICY);

        expect(await breakers.record(MODEL, 'success', POLICY, true)).toBe('closed');
        expect(await breakers.state(MODEL, POLICY)).toBe('closed');
        expect(await breakers.admit(MODEL, POLICY)).toEqual(CLOSED);
        expect(await report(['failure', 'failure', 'failure'])).toEqual([
          'closed',
          'closed',
          'closed',
        ]);
        expect(await report(['failure'])).toEqual(['open']);
      });

      it("opens again for openMs on the probe's failure", async () => {
        await tripAndWait();
        await harness.advanceTime(700);
        await breakers.admit(MODEL, POLICY);

        expect(await breakers.record(MODEL, 'failure', POLICY, true)).toBe('open');
        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('open', 5_000));
        await harness.advanceTime(4_999);
        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('open', 1));
        await harness.advanceTime(1);
        expect(await breakers.admit(MODEL, POLICY)).toEqual(PROBE);
      });

      it('frees the turn after probeLeaseMs when the probe never reports', async () => {
        await tripAndWait();
        expect(await breakers.admit(MODEL, POLICY)).toEqual(PROBE);

        await harness.advanceTime(1_999);
        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('half-open', 1));
        await harness.advanceTime(1);
        expect(await breakers.admit(MODEL, POLICY)).toEqual(PROBE);
        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('half-open', 2_000));
      });

      it('frees the turn at once when the probe is abandoned, changing nothing else', async () => {
        await tripAndWait();
        const first = await breakers.admit(MODEL, POLICY);
        expect(first).toEqual(PROBE);
        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('half-open', 2_000));

        expect(await breakers.record(MODEL, 'abandoned', POLICY, false)).toBe('half-open');
        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('half-open', 2_000));
        expect(await breakers.record(MODEL, 'abandoned', POLICY, true, 1)).toBe('half-open');
        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('half-open', 2_000));
        expect(await breakers.record(MODEL, 'abandoned', POLICY, true, token(first))).toBe(
          'half-open',
        );
        expect(await breakers.admit(MODEL, POLICY)).toEqual(PROBE);
        expect(await breakers.record(MODEL, 'success', POLICY, true)).toBe('closed');
      });

      it("never frees a live probe's turn on a stale probe's abandonment", async () => {
        await tripAndWait();
        const stale = await breakers.admit(MODEL, POLICY);
        await harness.advanceTime(POLICY.probeLeaseMs);
        const live = await breakers.admit(MODEL, POLICY);
        expect(live).toEqual(PROBE);
        expect(token(live)).not.toBe(token(stale));

        expect(await breakers.record(MODEL, 'abandoned', POLICY, true, token(stale))).toBe(
          'half-open',
        );
        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('half-open', 2_000));
        expect(await breakers.record(MODEL, 'abandoned', POLICY, true, token(live))).toBe(
          'half-open',
        );
        expect(await breakers.admit(MODEL, POLICY)).toEqual(PROBE);
      });

      it('counts nothing for an abandoned call while closed or open', async () => {
        expect(await report(['failure', 'failure'])).toEqual(['closed', 'closed']);
        expect(await breakers.record(MODEL, 'abandoned', POLICY, false)).toBe('closed');
        expect(await breakers.record(MODEL, 'abandoned', POLICY, false)).toBe('closed');
        expect(await report(['success'])).toEqual(['closed']);
        await trip();
        expect(await breakers.record(MODEL, 'abandoned', POLICY, true)).toBe('open');
        expect(await breakers.state(MODEL, POLICY)).toBe('open');
      });

      it("counts a lapsed probe's late report like any call's once the breaker has closed", async () => {
        await tripAndWait();
        expect(await breakers.admit(MODEL, POLICY)).toEqual(PROBE);
        await harness.advanceTime(POLICY.probeLeaseMs);
        expect(await breakers.admit(MODEL, POLICY)).toEqual(PROBE);
        expect(await breakers.record(MODEL, 'success', POLICY, true)).toBe('closed');

        expect(await breakers.record(MODEL, 'failure', POLICY, true)).toBe('closed');
        expect(await report(['failure', 'failure'])).toEqual(['closed', 'closed']);
        expect(await report(['failure'])).toEqual(['open']);
      });

      it('ignores the outcomes of calls that are not the probe', async () => {
        await tripAndWait();
        await breakers.admit(MODEL, POLICY);

        expect(await report(['success', 'success', 'failure'])).toEqual([
          'half-open',
          'half-open',
          'half-open',
        ]);
        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('half-open', 2_000));
        expect(await breakers.record(MODEL, 'success', POLICY, true)).toBe('closed');
      });
    });

    describe('reading and forgetting', () => {
      it('reads the state without admitting anything', async () => {
        expect(await breakers.state('never-used', POLICY)).toBe('closed');
        await tripAndWait();

        for (let read = 0; read < 5; read += 1) {
          expect(await breakers.state(MODEL, POLICY)).toBe('half-open');
        }
        expect(await breakers.admit(MODEL, POLICY)).toEqual(PROBE);
        expect(await breakers.state(MODEL, POLICY)).toBe('half-open');
      });

      it('forgets a breaker nobody asked about for a window after it could probe', async () => {
        await tripAndWait();
        await harness.advanceTime(POLICY.windowMs - 1);
        expect(await breakers.state(MODEL, POLICY)).toBe('half-open');

        await harness.advanceTime(1);
        expect(await breakers.state(MODEL, POLICY)).toBe('closed');
        expect(await breakers.admit(MODEL, POLICY)).toEqual(CLOSED);
      });

      it('keeps breakers apart', async () => {
        await trip();

        expect(await breakers.admit(MODEL, POLICY)).toEqual(refused('open', 5_000));
        for (const id of ['openai:gpt-4o-mini', `${MODEL} `, `{${MODEL}}`, 'openai']) {
          expect(await breakers.admit(id, POLICY)).toEqual(CLOSED);
          expect(await breakers.state(id, POLICY)).toBe('closed');
        }
        expect(await report(['failure', 'failure', 'failure'], `{${MODEL}}`)).toEqual([
          'closed',
          'closed',
          'closed',
        ]);
      });
    });

    it.runIf(capabilities.sharedClients === true)(
      'is one breaker for every client: one opens it for all, and one probe goes out',
      async () => {
        const other = await requireCapability(harness.connectAnother, 'connectAnother')();
        await trip();

        expect(await other.admit(MODEL, POLICY)).toEqual(refused('open', 5_000));
        expect(await other.state(MODEL, POLICY)).toBe('open');
        await harness.advanceTime(POLICY.openMs);
        const admissions = await Promise.all(
          Array.from({ length: 20 }, (_, index) =>
            (index % 2 === 0 ? breakers : other).admit(MODEL, POLICY),
          ),
        );

        expect(admissions.filter((admission) => admission.allowed)).toEqual([PROBE]);
        expect(await other.record(MODEL, 'success', POLICY, true)).toBe('closed');
        expect(await breakers.admit(MODEL, POLICY)).toEqual(CLOSED);
      },
    );
  });
}
