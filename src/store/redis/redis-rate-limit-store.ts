import { checkAdjust, checkTake, MAX_SCALED, type RateLimitBudget } from '../memory/index.js';
import type { RateLimitResult, RateLimitStore, RateLimitTakeOptions } from '../types.js';
import { rateLimitKey } from './keys.js';
import { ADJUST_LUA, TAKE_LUA } from './rate-limit-lua.js';
import type { RedisClient } from './redis-connection.js';
import { clockArgument, defineScript, type RunScript } from './scripts.js';

/** What every Redis store takes besides its client. */
export interface RedisStoreOptions {
  /** Prepended to every key. Default `rampart:`. */
  keyPrefix?: string;
  /**
   * Tests only: reads the time from this clock instead of the server's TIME. Keys still expire
   * by the server's clock, so tests keep their waits within real key lifetimes.
   */
  clock?: () => number;
}

/**
 * Rate-limit budgets in Redis, shared by every instance: each take or correction is one script
 * (GCRA, the same arithmetic as the in-process store). A cost larger than `limit` is refused
 * with `retryAfterMs` equal to `windowMs`.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly prefix: string;
  private readonly clock: (() => number) | undefined;
  private readonly takeScript: RunScript;
  private readonly adjustScript: RunScript;

  constructor(client: RedisClient, options: RedisStoreOptions = {}) {
    this.prefix = options.keyPrefix ?? 'rampart:';
    this.clock = options.clock;
    this.takeScript = defineScript(client, 'rampartRateLimitTake', { keys: 1, lua: TAKE_LUA });
    this.adjustScript = defineScript(client, 'rampartRateLimitAdjust', {
      keys: 1,
      lua: ADJUST_LUA,
    });
  }

  async take(key: string, options: RateLimitTakeOptions): Promise<RateLimitResult> {
    checkTake(key, options);
    const reply = (await this.takeScript(
      [rateLimitKey(this.prefix, key)],
      [clockArgument(this.clock), options.limit, options.windowMs, options.cost, MAX_SCALED],
    )) as [number, number, number, number];
    const [allowed, remaining, retryAfterMs, resetAfterMs] = reply;
    return { allowed: allowed === 1, remaining, retryAfterMs, resetAfterMs };
  }

  async adjust(key: string, options: RateLimitBudget & { delta: number }): Promise<void> {
    checkAdjust(key, options);
    await this.adjustScript(
      [rateLimitKey(this.prefix, key)],
      [clockArgument(this.clock), options.limit, options.windowMs, options.delta, MAX_SCALED],
    );
  }
}
