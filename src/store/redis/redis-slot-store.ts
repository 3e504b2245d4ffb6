import {
  checkSlotRequest,
  DEFAULT_SLOT_MARK_RETENTION_MS,
  isSlotName,
  requirePositive,
} from '../memory/index.js';
import type { Slot, SlotRequest, SlotStore } from '../types.js';
import { slotKeys } from './keys.js';
import type { RedisStoreOptions } from './redis-rate-limit-store.js';
import type { RedisClient } from './redis-connection.js';
import { clockArgument, defineScript, type RunScript } from './scripts.js';
import { ACQUIRE_LUA, IN_USE_LUA, LEAVE_LUA, RELEASE_LUA, RENEW_LUA } from './slot-lua.js';

export interface RedisSlotStoreOptions extends RedisStoreOptions {
  /** How long an idle user's last-served mark is kept. Default 60 s. */
  markRetentionMs?: number;
}

const KEY_COUNT = 8;

type SlotScript = 'acquire' | 'release' | 'renew' | 'leave' | 'inUse';

/**
 * Concurrency slots with a fair line, shared by every instance: each operation is one script
 * over the pool's keys, which share a hash tag so the same code runs on Redis Cluster. The
 * marks of up to 32 idle users are dropped per acquisition.
 */
export class RedisSlotStore implements SlotStore {
  private readonly prefix: string;
  private readonly clock: (() => number) | undefined;
  private readonly retention: number;
  private readonly scripts: Record<SlotScript, RunScript>;

  constructor(client: RedisClient, options: RedisSlotStoreOptions = {}) {
    this.prefix = options.keyPrefix ?? 'rampart:';
    this.clock = options.clock;
    this.retention = options.markRetentionMs ?? DEFAULT_SLOT_MARK_RETENTION_MS;
    requirePositive(this.retention, 'markRetentionMs');
    const define = (name: string, lua: string) =>
      defineScript(client, name, { keys: KEY_COUNT, lua });
    this.scripts = {
      acquire: define('rampartSlotAcquire', ACQUIRE_LUA),
      release: define('rampartSlotRelease', RELEASE_LUA),
      renew: define('rampartSlotRenew', RENEW_LUA),
      leave: define('rampartSlotLeave', LEAVE_LUA),
      inUse: define('rampartSlotInUse', IN_USE_LUA),
    };
  }

  async tryAcquire(pool: string, request: SlotRequest): Promise<Slot | undefined> {
    checkSlotRequest(pool, request);
    const { limit, waiter, user, leaseMs, waiterTtlMs } = request;
    const expiresAt = await this.run('acquire', pool, [
      limit,
      waiter,
      user,
      leaseMs,
      waiterTtlMs,
      this.retention,
    ]);
    return expiresAt === null ? undefined : { id: waiter, expiresAt: Number(expiresAt) };
  }

  async release(pool: string, slotId: string): Promise<boolean> {
    if (!isSlotName(pool) || !isSlotName(slotId)) return false;
    return (await this.run('release', pool, [slotId, this.retention])) === 1;
  }

  async renew(pool: string, slotId: string, leaseMs: number): Promise<boolean> {
    requirePositive(leaseMs, 'leaseMs');
    if (!isSlotName(pool) || !isSlotName(slotId)) return false;
    return (await this.run('renew', pool, [slotId, leaseMs, this.retention])) === 1;
  }

  async leave(pool: string, waiter: string): Promise<void> {
    if (!isSlotName(pool) || !isSlotName(waiter)) return;
    await this.run('leave', pool, [waiter]);
  }

  async inUse(pool: string): Promise<number> {
    if (!isSlotName(pool)) return 0;
    return Number(await this.run('inUse', pool, []));
  }

  private run(script: SlotScript, pool: string, args: (string | number)[]): Promise<unknown> {
    const keys = slotKeys(this.prefix, pool);
    return this.scripts[script](keys, [clockArgument(this.clock), ...args]);
  }
}
