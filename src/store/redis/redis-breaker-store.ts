import { checkBreaker, checkReport, windowBuckets } from '../memory/index.js';
import type {
  BreakerAdmission,
  BreakerOutcome,
  BreakerPolicy,
  BreakerState,
  BreakerStore,
} from '../types.js';
import { ADMIT_LUA, RECORD_LUA, STATE_LUA } from './breaker-lua.js';
import { breakerKey } from './keys.js';
import type { RedisStoreOptions } from './redis-rate-limit-store.js';
import type { RedisClient } from './redis-connection.js';
import { clockArgument, defineScript, type RunScript, type ScriptArgument } from './scripts.js';

type BreakerScript = 'admit' | 'record' | 'state';

type AdmitReply = [
  allowed: number,
  state: BreakerState,
  probe: number,
  retryAfterMs: number,
  probeToken: number,
];

/**
 * Circuit breakers in Redis, shared by every instance: each admit, report or read is one script
 * over the breaker's single key (the rules of `memory/breaker-rules.ts`), so two instances
 * asking at once for the half-open turn get exactly one probe between them.
 */
export class RedisBreakerStore implements BreakerStore {
  private readonly prefix: string;
  private readonly clock: (() => number) | undefined;
  private readonly scripts: Record<BreakerScript, RunScript>;

  constructor(client: RedisClient, options: RedisStoreOptions = {}) {
    this.prefix = options.keyPrefix ?? 'rampart:';
    this.clock = options.clock;
    const define = (name: string, lua: string) => defineScript(client, name, { keys: 1, lua });
    this.scripts = {
      admit: define('rampartBreakerAdmit', ADMIT_LUA),
      record: define('rampartBreakerRecord', RECORD_LUA),
      state: define('rampartBreakerState', STATE_LUA),
    };
  }

  async admit(id: string, policy: BreakerPolicy): Promise<BreakerAdmission> {
    checkBreaker(id, policy);
    const reply = (await this.run('admit', id, policy, [])) as AdmitReply;
    const [allowed, state, probe, retryAfterMs, probeToken] = reply;
    if (allowed === 1 && probe === 1) return { allowed: true, state, probe: true, probeToken };
    if (allowed === 1) return { allowed: true, state, probe: false };
    return { allowed: false, state: state as 'open' | 'half-open', retryAfterMs };
  }

  async record(
    id: string,
    outcome: BreakerOutcome,
    policy: BreakerPolicy,
    probe: boolean,
    probeToken?: number,
  ): Promise<BreakerState> {
    checkBreaker(id, policy);
    checkReport(outcome, probe);
    const token = probeToken === undefined ? '' : String(probeToken);
    const extra = [outcome, probe ? 1 : 0, token];
    return (await this.run('record', id, policy, extra)) as BreakerState;
  }

  async state(id: string, policy: BreakerPolicy): Promise<BreakerState> {
    checkBreaker(id, policy);
    return (await this.run('state', id, policy, [])) as BreakerState;
  }

  private run(
    script: BreakerScript,
    id: string,
    policy: BreakerPolicy,
    extra: ScriptArgument[],
  ): Promise<unknown> {
    const { windowMs, minRequests, failureRate, openMs, probeLeaseMs } = policy;
    const { bucketMs, buckets } = windowBuckets(windowMs);
    return this.scripts[script](
      [breakerKey(this.prefix, id)],
      [
        clockArgument(this.clock),
        windowMs,
        minRequests,
        failureRate,
        openMs,
        probeLeaseMs,
        bucketMs,
        buckets,
        ...extra,
      ],
    );
  }
}
