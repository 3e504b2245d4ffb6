import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UsageLedger, UsageModelLine, UsageRecordInput } from '../usage-types.js';
import {
  requireCapability,
  type ContractCapabilities,
  type ContractHarness,
  type HarnessFactory,
} from './harness.js';

export type UsageLedgerHarness = ContractHarness<UsageLedger>;

const DAY = 24 * 3_600_000;
const at = (iso: string) => Date.parse(iso);
const MARCH = { from: at('2026-03-01T00:00:00Z'), to: at('2026-04-01T00:00:00Z') };

function line(target: string, overrides: Partial<UsageModelLine> = {}): UsageModelLine {
  return {
    target,
    model: target.split('/')[1] ?? target,
    inputTokens: 100,
    outputTokens: 20,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    estimated: false,
    costNanos: 1_000,
    ...overrides,
  };
}

/** A turn of `alice` on 2026-03-10 with one model line, 500 nanodollars of tools. */
export function usageRecord(overrides: Partial<UsageRecordInput> = {}): UsageRecordInput {
  const models = overrides.models ?? [line('openai/gpt-4o')];
  const modelCost = models.reduce((sum, model) => sum + model.costNanos, 0);
  return {
    id: 'turn_1',
    at: at('2026-03-10T12:00:00Z'),
    requestId: 'req_1',
    userId: 'alice',
    keyId: 'key_1',
    route: 'default',
    models,
    toolCostNanos: 500,
    toolCalls: 1,
    memoryCostNanos: 0,
    memoryOperations: 0,
    totalCostNanos: modelCost + 500 + (overrides.memoryCostNanos ?? 0),
    outcome: 'stop',
    ...overrides,
  };
}

/** The behaviour every UsageLedger backend must show. */
export function describeUsageLedgerContract(
  name: string,
  factory: HarnessFactory<UsageLedger>,
  capabilities: ContractCapabilities = {},
): void {
  describe(`UsageLedger contract: ${name}`, () => {
    let harness: UsageLedgerHarness;
    let ledger: UsageLedger;

    beforeEach(async () => {
      harness = await factory();
      ledger = harness.store;
    });
    afterEach(() => harness.close());

    it('sums a turn: tokens from its lines, spend from the turn', async () => {
      const models = [
        line('openai/gpt-4o', { cachedInputTokens: 50, costNanos: 2_000 }),
        line('anthropic/claude-haiku-4-5', { cacheWriteInputTokens: 7, estimated: true }),
      ];
      expect(
        await ledger.record(usageRecord({ models, memoryCostNanos: 30, memoryOperations: 3 })),
      ).toBe(true);

      const { totals, groups } = await ledger.summarize(MARCH);
      expect(totals).toEqual({
        turns: 1,
        inputTokens: 200,
        outputTokens: 40,
        cachedInputTokens: 50,
        cacheWriteInputTokens: 7,
        estimated: true,
        modelCostNanos: 3_000,
        toolCostNanos: 500,
        toolCalls: 1,
        memoryCostNanos: 30,
        memoryOperations: 3,
        totalCostNanos: 3_530,
      });
      expect(groups).toEqual([]);
    });

    it('returns zeros for a range with nothing in it', async () => {
      const { totals } = await ledger.summarize(MARCH);
      expect(totals).toMatchObject({ turns: 0, totalCostNanos: 0, estimated: false });
    });

    it('writes a turn once, however often the write is retried', async () => {
      expect(await ledger.record(usageRecord())).toBe(true);
      expect(await ledger.record(usageRecord())).toBe(false);
      expect(await ledger.record(usageRecord({ totalCostNanos: 99_999 }))).toBe(false);
      const { totals } = await ledger.summarize(MARCH);
      expect(totals).toMatchObject({ turns: 1, inputTokens: 100, totalCostNanos: 1_500 });
    });

    it('counts every turn exactly under concurrent writers, duplicates once', async () => {
      const other = capabilities.sharedClients
        ? await requireCapability(harness.connectAnother, 'connectAnother')()
        : ledger;
      const writes = [];
      for (let index = 0; index < 40; index++) {
        const record = usageRecord({ id: `turn_${index % 25}`, requestId: `req_${index}` });
        writes.push((index % 2 === 0 ? ledger : other).record(record));
      }
      const written = await Promise.all(writes);
      expect(written.filter(Boolean)).toHaveLength(25);
      const { totals } = await ledger.summarize(MARCH);
      expect(totals).toMatchObject({ turns: 25, inputTokens: 2_500, totalCostNanos: 25 * 1_500 });
    });

    it('stores hostile ids exactly and never reads them as SQL', async () => {
      const hostile = [
        "alice'; DROP TABLE usage_turns; --",
        'nul\u0000inside',
        'emoji 🧾 and accents é',
        'x'.repeat(1024),
        '%_*',
      ];
      for (const [index, userId] of hostile.entries()) {
        await ledger.record(usageRecord({ id: `t\u0000${index}'"`, userId, sessionId: userId }));
      }
      const byUser = await ledger.summarize({ ...MARCH, groupBy: 'user' });
      expect(byUser.groups.map((group) => group.key).sort()).toEqual([...hostile].sort());
      const one = await ledger.summarize({ ...MARCH, userId: '%_*' });
      expect(one.totals.turns).toBe(1);
      const session = await ledger.summarize({ ...MARCH, sessionId: 'nul\u0000inside' });
      expect(session.totals.turns).toBe(1);
    });

    it('refuses a record it could not store exactly', async () => {
      const refusals: Array<Partial<UsageRecordInput>> = [
        { userId: 'lone \uD800' },
        { id: '' },
        { id: 'x'.repeat(129) },
        { toolCalls: -1 },
        { totalCostNanos: 1.5 },
        { models: [line('a/b'), line('a/b')] },
        { models: [line('a/b', { inputTokens: Number.NaN })] },
      ];
      for (const refusal of refusals) {
        await expect(ledger.record(usageRecord(refusal))).rejects.toMatchObject({
          code: 'RAMPART_INVALID_REQUEST',
        });
      }
      expect((await ledger.summarize(MARCH)).totals.turns).toBe(0);
    });

    it('groups by day in UTC or in a time zone, across the day boundary', async () => {
      await ledger.record(usageRecord({ id: 'late', at: at('2026-03-01T23:30:00Z') }));
      await ledger.record(usageRecord({ id: 'early', at: at('2026-03-02T00:30:00Z') }));
      await ledger.record(usageRecord({ id: 'later', at: at('2026-03-02T16:00:00Z') }));

      const utc = await ledger.summarize({ ...MARCH, groupBy: 'day' });
      expect(utc.groups.map((group) => [group.key, group.turns])).toEqual([
        ['2026-03-01', 1],
        ['2026-03-02', 2],
      ]);
      // New York is UTC-5 in early March: the first two are the evening of the 1st.
      const newYork = await ledger.summarize({
        ...MARCH,
        groupBy: 'day',
        timeZone: 'America/New_York',
      });
      expect(newYork.groups.map((group) => [group.key, group.turns])).toEqual([
        ['2026-03-01', 2],
        ['2026-03-02', 1],
      ]);
      // Tokyo is UTC+9: the last one is already the 3rd.
      const tokyo = await ledger.summarize({ ...MARCH, groupBy: 'day', timeZone: 'Asia/Tokyo' });
      expect(tokyo.groups.map((group) => [group.key, group.turns])).toEqual([
        ['2026-03-02', 2],
        ['2026-03-03', 1],
      ]);
      expect(tokyo.groups.reduce((sum, group) => sum + group.totalCostNanos, 0)).toBe(
        tokyo.totals.totalCostNanos,
      );
    });

    it('groups by model with model spend only, and filters by target or model id', async () => {
      await ledger.record(
        usageRecord({
          id: 'a',
          models: [line('openai/gpt-4o'), line('sim/small', { costNanos: 10 })],
        }),
      );
      await ledger.record(usageRecord({ id: 'b', models: [line('openai/gpt-4o')] }));

      const byModel = await ledger.summarize({ ...MARCH, groupBy: 'model' });
      expect(byModel.groups.map((group) => [group.key, group.turns, group.totalCostNanos])).toEqual(
        [
          ['openai/gpt-4o', 2, 2_000],
          ['sim/small', 1, 10],
        ],
      );
      expect(byModel.totals).toMatchObject({ turns: 2, toolCostNanos: 0, totalCostNanos: 2_010 });
      const filtered = await ledger.summarize({ ...MARCH, model: 'gpt-4o' });
      expect(filtered.totals).toMatchObject({ turns: 2, inputTokens: 200, totalCostNanos: 2_000 });
      const byTarget = await ledger.summarize({ ...MARCH, model: 'sim/small', groupBy: 'user' });
      expect(byTarget.groups).toMatchObject([{ key: 'alice', turns: 1, totalCostNanos: 10 }]);
    });

    it('groups users and sessions by spend, then key, bounded by limit', async () => {
      const spend = { bob: 3, carol: 1, dave: 3, erin: 2 } as Record<string, number>;
      let id = 0;
      for (const [userId, turns] of Object.entries(spend)) {
        for (let turn = 0; turn < turns; turn++) {
          const sessionId = turn === 0 ? undefined : `${userId}-s`;
          await ledger.record(usageRecord({ id: `t${id++}`, userId, sessionId }));
        }
      }
      const page = await ledger.summarize({ ...MARCH, groupBy: 'user', limit: 3 });
      expect(page.groups.map((group) => group.key)).toEqual(['bob', 'dave', 'erin']);
      expect(page.truncated).toBe(true);
      expect(page.totals.turns).toBe(9);

      const sessions = await ledger.summarize({ ...MARCH, groupBy: 'session' });
      expect(sessions.groups.map((group) => [group.key, group.turns])).toEqual([
        [null, 4],
        ['bob-s', 2],
        ['dave-s', 2],
        ['erin-s', 1],
      ]);
      expect(sessions.truncated).toBe(false);
    });

    it('filters by user and by a half-open time range', async () => {
      await ledger.record(usageRecord({ id: 'a', at: MARCH.from }));
      await ledger.record(usageRecord({ id: 'b', at: MARCH.to }));
      await ledger.record(usageRecord({ id: 'c', userId: 'bob' }));

      expect((await ledger.summarize(MARCH)).totals.turns).toBe(2);
      expect((await ledger.summarize({ ...MARCH, userId: 'alice' })).totals.turns).toBe(1);
      expect((await ledger.summarize({ ...MARCH, userId: 'nobody' })).totals.turns).toBe(0);
    });

    it('refuses ranges that are empty, reversed or longer than 366 days, and bad zones', async () => {
      const bad = [
        { from: MARCH.from, to: MARCH.from },
        { from: MARCH.to, to: MARCH.from },
        { from: MARCH.from, to: MARCH.from + 367 * DAY },
        { ...MARCH, timeZone: 'Mars/Olympus' },
        { ...MARCH, groupBy: 'week' as never },
        { ...MARCH, limit: 0 },
      ];
      for (const query of bad) {
        await expect(ledger.summarize(query)).rejects.toMatchObject({
          code: 'RAMPART_INVALID_REQUEST',
        });
      }
    });

    if (capabilities.durable) {
      it('keeps records across a reopen', async () => {
        await ledger.record(usageRecord());
        const reopened = await requireCapability(harness.reopen, 'reopen')();
        expect((await reopened.summarize(MARCH)).totals.turns).toBe(1);
        expect(await reopened.record(usageRecord())).toBe(false);
      });
    }
  });
}
