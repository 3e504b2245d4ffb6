import { describe, expect, it } from 'vitest';
import { budgetsSchema } from '../config/budget-schema.js';
import type { Principal } from '../core/principal.js';
import { createManualClock } from '../store/contract/index.js';
import { MemoryBudgetStore } from '../store/index.js';
import { capCounters, type CapCounter } from './budget-caps.js';

const alice: Principal = {
  userId: 'alice',
  role: 'user',
  tier: 'free',
  permissions: [],
  keyId: 'k',
};
const HOUR = 3_600_000;

function counters(budgets: unknown, principal = alice, now = Date.UTC(2026, 0, 10)) {
  return capCounters(budgetsSchema.parse(budgets), { principal, conversationId: 'c1', now });
}

/** Spends `amount` on the counters, then says whether `more` still fits. */
async function spendThenFits(store: MemoryBudgetStore, list: CapCounter[], more: number) {
  const take = list.map((counter) => ({
    key: counter.key,
    cap: counter.cap,
    base: more,
    perUnit: 0,
    warnAt: 0.8,
    ttlMs: counter.ttlMs,
  }));
  const id = `r${Math.random().toString(36).slice(2, 12)}`;
  const result = await store.reserve({ id, counters: take, units: { min: 0, max: 0 }, leaseMs: 1 });
  if (result.ok) {
    const charges = take.map(({ key, cap, warnAt, ttlMs }) => ({
      key,
      cap,
      warnAt,
      ttlMs,
      amount: more,
    }));
    await store.settle(id, charges);
  }
  return result.ok;
}

describe('capCounters', () => {
  it('gives each scope its own key and skips scopes the turn lacks', () => {
    const budgets = {
      conv: { scope: 'conversation', window: 'conversation', tokens: 10 },
      user: { scope: 'user', window: 'day', tokens: 10, cost: 1 },
      team: { scope: 'team', window: 'month', cost: 5 },
      all: { scope: 'deployment', window: 'day', tokens: 10 },
    };
    expect(counters(budgets).map((counter) => counter.key)).toEqual([
      'conv:conversation:alice%2Fc1:all:tokens',
      'user:user:alice:2026-01-10:tokens',
      'user:user:alice:2026-01-10:cost',
      'all:deployment:*:2026-01-10:tokens',
    ]);
    const withTeam = counters(budgets, { ...alice, team: 'r&d' }).map((counter) => counter.key);
    expect(withTeam).toContain('team:team:r%26d:2026-01-01:cost');
    const stateless = capCounters(budgetsSchema.parse(budgets), {
      principal: alice,
      conversationId: undefined,
      now: 0,
    });
    expect(stateless.map((counter) => counter.budget)).not.toContain('conv');
  });

  it('keeps one conversation id of two users apart', () => {
    const budgets = { conv: { scope: 'conversation', window: 'conversation', tokens: 10 } };
    const bob = { ...alice, userId: 'bob' };
    expect(counters(budgets)[0]!.key).not.toBe(counters(budgets, bob)[0]!.key);
  });

  it('turns hostile and huge ids into short printable keys', () => {
    const budgets = { u: { scope: 'user', window: 'day', tokens: 10 } };
    const odd = counters(budgets, { ...alice, userId: '{x}\n\u0000é'.repeat(2) })[0]!.key;
    expect(odd).toMatch(/^[\x21-\x7e]+$/);
    expect(odd).not.toContain('{');
    const huge = counters(budgets, { ...alice, userId: 'x'.repeat(100_000) })[0]!.key;
    expect(huge.length).toBeLessThan(200);
    expect(huge).toContain('sha256.');
  });

  it('applies selectors by tier, user and team', () => {
    const budgets = {
      free: { scope: 'user', window: 'day', tokens: 1, appliesTo: { tiers: ['free'] } },
      bob: { scope: 'user', window: 'day', tokens: 1, appliesTo: { users: ['bob'] } },
      team: {
        scope: 'user',
        window: 'day',
        tokens: 1,
        appliesTo: { teams: ['x'], tiers: ['free'] },
      },
    };
    expect(counters(budgets).map((counter) => counter.budget)).toEqual(['free']);
    const inTeam = counters(budgets, { ...alice, team: 'x' }).map((counter) => counter.budget);
    expect(inTeam).toEqual(['free', 'team']);
  });

  it('starts a daily budget afresh at local midnight, not at UTC midnight', async () => {
    const clock = createManualClock(Date.UTC(2026, 2, 28, 22, 0));
    const store = new MemoryBudgetStore({ now: clock.now });
    const budgets = { d: { scope: 'user', window: 'day', tokens: 100, timeZone: 'Europe/Berlin' } };
    const now = () =>
      capCounters(budgetsSchema.parse(budgets), {
        principal: alice,
        conversationId: undefined,
        now: clock.now(),
      });
    // 23:00 in Berlin on 28 March: the whole cap spent.
    expect(await spendThenFits(store, now(), 100)).toBe(true);
    expect(await spendThenFits(store, now(), 1)).toBe(false);
    clock.advance(HOUR - 1);
    expect(await spendThenFits(store, now(), 1)).toBe(false);
    // Midnight in Berlin (23:00 UTC); the day that starts is 23 hours long (DST).
    clock.advance(1);
    expect(await spendThenFits(store, now(), 100)).toBe(true);
    clock.advance(22 * HOUR);
    expect(await spendThenFits(store, now(), 1)).toBe(false);
    clock.advance(HOUR);
    expect(now()[0]!.key).toContain(':2026-03-30:');
    expect(await spendThenFits(store, now(), 1)).toBe(true);
  });

  it('rolls a monthly budget anchored on the 31st over on the last day of February', async () => {
    const clock = createManualClock(Date.UTC(2026, 1, 27, 12));
    const store = new MemoryBudgetStore({ now: clock.now });
    const budgets = { m: { scope: 'team', window: 'month', tokens: 10, anchorDay: 31 } };
    const now = () =>
      capCounters(budgetsSchema.parse(budgets), {
        principal: { ...alice, team: 'r' },
        conversationId: undefined,
        now: clock.now(),
      });
    expect(await spendThenFits(store, now(), 10)).toBe(true);
    expect(await spendThenFits(store, now(), 1)).toBe(false);
    clock.advance(12 * HOUR);
    expect(now()[0]!.key).toContain(':2026-02-28:');
    expect(await spendThenFits(store, now(), 10)).toBe(true);
    // 30 March is still the period that began on 28 February.
    clock.advance(30 * 24 * HOUR);
    expect(await spendThenFits(store, now(), 1)).toBe(false);
    clock.advance(24 * HOUR);
    expect(now()[0]!.key).toContain(':2026-03-31:');
    expect(await spendThenFits(store, now(), 1)).toBe(true);
  });
});
