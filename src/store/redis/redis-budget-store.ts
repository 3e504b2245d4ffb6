import { checkBudgetKey, checkCharges, checkRelease, checkReserve } from '../budget-rules.js';
import type {
  BudgetCharge,
  BudgetReserveRequest,
  BudgetReserveResult,
  BudgetStanding,
  BudgetStore,
} from '../budget-types.js';
import {
  BUDGET_RELEASE_LUA,
  BUDGET_RESERVE_LUA,
  BUDGET_SETTLE_LUA,
  BUDGET_STANDING_LUA,
} from './budget-lua.js';
import { budgetKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-rate-limit-store.js';
import { clockArgument, defineScript, type RunScript } from './scripts.js';

/**
 * The budget ledger in Redis, shared by every instance: a reservation on all of a turn's
 * counters is one script, so two instances can never both take the last of a cap. Keys live in
 * one Cluster slot (see `budgetKeys`).
 */
export class RedisBudgetStore implements BudgetStore {
  private readonly prefix: string;
  private readonly clock: (() => number) | undefined;
  private readonly scripts: Record<'reserve' | 'settle' | 'release' | 'standing', RunScript>;

  constructor(client: RedisClient, options: RedisStoreOptions = {}) {
    this.prefix = options.keyPrefix ?? 'rampart:';
    this.clock = options.clock;
    // The number of counters varies per call, so each call passes its key count first.
    const define = (name: string, lua: string) => defineScript(client, name, { keys: null, lua });
    this.scripts = {
      reserve: define('rampartBudgetReserve', BUDGET_RESERVE_LUA),
      settle: define('rampartBudgetSettle', BUDGET_SETTLE_LUA),
      release: define('rampartBudgetRelease', BUDGET_RELEASE_LUA),
      standing: define('rampartBudgetStanding', BUDGET_STANDING_LUA),
    };
  }

  async reserve(request: BudgetReserveRequest): Promise<BudgetReserveResult> {
    checkReserve(request);
    const { id, leaseMs, units, counters } = request;
    const args = [id, leaseMs, units.min, units.max];
    for (const take of counters)
      args.push(take.cap, take.base, take.perUnit, take.ttlMs, take.warnAt);
    const reply = await this.run('reserve', this.keysOf(counters), args);
    const [ok, value, nearly = []] = reply as [number, number, number[]?];
    const keyAt = (index: number) => counters[index - 1]!.key;
    if (ok === 1) return { ok: true, units: value, nearlySpent: nearly.map(keyAt) };
    return { ok: false, counter: keyAt(value) };
  }

  async settle(id: string, charges: readonly BudgetCharge[]): Promise<{ warned: string[] }> {
    checkCharges(id, charges);
    const args: Array<string | number> = [id];
    for (const charge of charges) args.push(charge.amount, charge.cap, charge.warnAt, charge.ttlMs);
    const warned = (await this.run('settle', this.keysOf(charges), args)) as number[];
    return { warned: warned.map((index) => charges[index - 1]!.key) };
  }

  async release(id: string, keys: readonly string[]): Promise<void> {
    checkRelease(id, keys);
    await this.run('release', this.keysOf(keys.map((key) => ({ key }))), [id]);
  }

  async standing(key: string): Promise<BudgetStanding> {
    checkBudgetKey(key);
    const reply = (await this.run('standing', budgetKeys(this.prefix, key), [])) as number[];
    const [spent = 0, reserved = 0, cap = -1] = reply;
    return { spent, reserved, cap: cap < 0 ? undefined : cap };
  }

  private keysOf(counters: ReadonlyArray<{ key: string }>): string[] {
    return counters.flatMap((counter) => budgetKeys(this.prefix, counter.key));
  }

  private run(
    name: keyof RedisBudgetStore['scripts'],
    keys: string[],
    args: Array<string | number>,
  ) {
    return this.scripts[name]([String(keys.length), ...keys], [clockArgument(this.clock), ...args]);
  }
}
