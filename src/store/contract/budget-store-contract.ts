import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BudgetCounterTake, BudgetStore } from '../budget-types.js';
import {
  requireCapability,
  type ContractCapabilities,
  type ContractHarness,
  type HarnessFactory,
} from './harness.js';

const DAY_MS = 86_400_000;

function counter(key: string, cap: number, take: Partial<BudgetCounterTake> = {}) {
  return { key, cap, base: 0, perUnit: 1, warnAt: 0.8, ttlMs: DAY_MS, ...take };
}

function newId(): string {
  return randomUUID().replaceAll('-', '');
}

function charge(key: string, cap: number, amount: number, ttlMs = DAY_MS) {
  return { key, cap, amount, warnAt: 0.8, ttlMs };
}

/**
 * The behaviour every BudgetStore backend must show: all-or-nothing reservations that take as
 * many output units as every counter allows, settle to actual spend, leases that end, and one
 * warning per counter. Time moves only through `advanceTime`.
 */
export function describeBudgetStoreContract(
  name: string,
  factory: HarnessFactory<BudgetStore>,
  capabilities: ContractCapabilities = {},
): void {
  describe(`BudgetStore contract: ${name}`, () => {
    let harness: ContractHarness<BudgetStore>;
    let ledger: BudgetStore;

    beforeEach(async () => {
      harness = await factory();
      ledger = harness.store;
    });
    afterEach(() => harness.close());

    const reserve = (counters: BudgetCounterTake[], max = 100, min = 1, leaseMs = 60_000) =>
      ledger.reserve({ id: newId(), counters, units: { min, max }, leaseMs });

    describe('reserve', () => {
      it('takes the whole request when it fits and shows it as reserved', async () => {
        const result = await reserve([counter('u:alice', 1_000, { base: 100 })], 200);
        expect(result).toEqual({ ok: true, units: 200, nearlySpent: [] });
        expect(await ledger.standing('u:alice')).toEqual({ spent: 0, reserved: 300, cap: 1_000 });
      });

      it('takes only as many units as the tightest counter allows', async () => {
        const tokens = counter('tokens', 1_000, { base: 400 });
        const money = counter('money', 10_000, { base: 1_000, perUnit: 30 });
        // money: (10000 - 1000) / 30 = 300 units; tokens: 1000 - 400 = 600 units.
        expect(await reserve([tokens, money], 4_096)).toMatchObject({ ok: true, units: 300 });
        expect((await ledger.standing('money')).reserved).toBe(1_000 + 300 * 30);
        expect((await ledger.standing('tokens')).reserved).toBe(700);
      });

      it('refuses all or nothing, naming the counter that is full', async () => {
        await reserve([counter('team', 100)], 95);
        const result = await reserve([counter('user', 1_000), counter('team', 100)], 50, 10);
        expect(result).toEqual({ ok: false, counter: 'team' });
        expect(await ledger.standing('user')).toEqual({ spent: 0, reserved: 0, cap: undefined });
      });

      it('refuses when not even the prompt fits, whatever the output', async () => {
        const result = await reserve([counter('u', 100, { base: 101, perUnit: 0 })], 10, 0);
        expect(result).toEqual({ ok: false, counter: 'u' });
      });

      it('counts spend beyond the cap as used', async () => {
        await ledger.settle(newId(), [charge('u', 100, 100)]);
        expect(await reserve([counter('u', 100)], 10, 0)).toEqual({
          ok: true,
          units: 0,
          nearlySpent: ['u'],
        });
        await ledger.settle(newId(), [charge('u', 100, 50)]);
        expect(await reserve([counter('u', 100)], 10, 0)).toEqual({ ok: false, counter: 'u' });
      });

      it('names a counter this reservation takes to its warn line, before any spend', async () => {
        const result = await reserve([counter('u', 100), counter('t', 1_000)], 80);
        expect(result).toEqual({ ok: true, units: 80, nearlySpent: ['u'] });
        const below = await reserve([counter('v', 100)], 79);
        expect(below).toEqual({ ok: true, units: 79, nearlySpent: [] });
      });

      it('names the counters already at their warn line, held or spent', async () => {
        await reserve([counter('u', 100)], 80);
        const result = await reserve([counter('u', 100), counter('t', 100)], 5);
        expect(result).toEqual({ ok: true, units: 5, nearlySpent: ['u'] });
      });

      it('admits exactly what the cap holds of many reservations at once', async () => {
        const results = await Promise.all(
          Array.from({ length: 40 }, () => reserve([counter('shared', 100)], 10, 10)),
        );
        expect(results.filter((result) => result.ok)).toHaveLength(10);
        expect(await ledger.standing('shared')).toMatchObject({ reserved: 100 });
      });

      it('keeps keys apart whatever characters they hold', async () => {
        await reserve([counter('user:{a}', 100)], 10);
        await reserve([counter('user:}{a', 100)], 20);
        expect((await ledger.standing('user:{a}')).reserved).toBe(10);
        expect((await ledger.standing('user:}{a')).reserved).toBe(20);
      });
    });

    describe('settle and release', () => {
      it('replaces the hold with the actual spend, which may exceed it', async () => {
        const id = newId();
        await ledger.reserve({
          id,
          counters: [counter('u', 1_000)],
          units: { min: 1, max: 100 },
          leaseMs: 60_000,
        });
        expect(await ledger.settle(id, [charge('u', 1_000, 130)])).toEqual({ warned: [] });
        expect(await ledger.standing('u')).toEqual({ spent: 130, reserved: 0, cap: 1_000 });
      });

      it('records spend for a reservation it no longer holds', async () => {
        await ledger.settle(newId(), [charge('u', 1_000, 40)]);
        expect(await ledger.standing('u')).toMatchObject({ spent: 40, reserved: 0 });
      });

      it('releases a hold without spending', async () => {
        const id = newId();
        const counters = [counter('a', 100), counter('b', 100)];
        await ledger.reserve({ id, counters, units: { min: 1, max: 60 }, leaseMs: 60_000 });
        await ledger.release(id, ['a', 'b']);
        await ledger.release(id, ['a', 'b']);
        expect(await ledger.standing('a')).toMatchObject({ spent: 0, reserved: 0 });
        expect(await reserve([counter('b', 100)], 100)).toMatchObject({ ok: true, units: 100 });
      });

      it('warns once per counter when spend reaches its warn line', async () => {
        const first = await ledger.settle(newId(), [charge('u', 100, 79), charge('t', 100, 80)]);
        expect(first.warned).toEqual(['t']);
        const second = await ledger.settle(newId(), [charge('u', 100, 1), charge('t', 100, 5)]);
        expect(second.warned).toEqual(['u']);
        expect((await ledger.settle(newId(), [charge('u', 100, 50)])).warned).toEqual([]);
      });
    });

    describe('time', () => {
      it('drops a reservation whose lease ended, giving its room back', async () => {
        await reserve([counter('u', 100)], 100, 1, 5_000);
        expect(await reserve([counter('u', 100)], 10)).toEqual({ ok: false, counter: 'u' });
        await harness.advanceTime(5_001);
        expect(await ledger.standing('u')).toMatchObject({ reserved: 0 });
        expect(await reserve([counter('u', 100)], 10)).toMatchObject({ ok: true, units: 10 });
      });

      it('forgets a counter some time after its window', async () => {
        await ledger.settle(newId(), [charge('u', 100, 90, 100)]);
        await harness.advanceTime(250);
        // Keys in a server expire by its own clock: wait for real as well.
        await new Promise((resolve) => setTimeout(resolve, 250));
        expect(await ledger.standing('u')).toEqual({ spent: 0, reserved: 0, cap: undefined });
      });
    });

    describe('hostile input', () => {
      const bad: Array<[string, () => Promise<unknown>]> = [
        ['an empty key', () => reserve([counter('', 10)])],
        ['a key with a newline', () => reserve([counter('a\nb', 10)])],
        ['an oversized key', () => reserve([counter('k'.repeat(600), 10)])],
        ['a negative base', () => reserve([counter('k', 10, { base: -1 })])],
        ['a fractional cap', () => reserve([counter('k', 1.5)])],
        ['a NaN per unit', () => reserve([counter('k', 10, { perUnit: Number.NaN })])],
        ['an absurd cap', () => reserve([counter('k', Number.MAX_SAFE_INTEGER)])],
        ['a counter twice', () => reserve([counter('k', 10), counter('k', 10)])],
        ['no counter', () => reserve([])],
        ['min above max', () => reserve([counter('k', 10)], 1, 2)],
        ['a zero lease', () => reserve([counter('k', 10)], 1, 1, 0)],
        ['a warn line of 0', () => reserve([counter('k', 10, { warnAt: 0 })])],
        ['a bad id', () => ledger.settle('x y', [charge('k', 1, 1)])],
        ['a negative charge', () => ledger.settle(newId(), [charge('k', 10, -5)])],
      ];
      it.each(bad)('refuses %s', async (_name, call) => {
        await expect(call()).rejects.toMatchObject({ code: 'RAMPART_INVALID_REQUEST' });
      });
    });

    if (capabilities.sharedClients) {
      it('holds one cap across clients of the same data', async () => {
        const other = await requireCapability(harness.connectAnother, 'connectAnother')();
        const take = (store: BudgetStore) =>
          store.reserve({
            id: newId(),
            counters: [counter('deployment', 50)],
            units: { min: 5, max: 5 },
            leaseMs: 60_000,
          });
        const results = await Promise.all(
          Array.from({ length: 30 }, (_, index) => take(index % 2 === 0 ? ledger : other)),
        );
        expect(results.filter((result) => result.ok)).toHaveLength(10);
      });
    }
  });
}
