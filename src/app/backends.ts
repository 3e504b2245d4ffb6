import { join } from 'node:path';
import type { RampartConfig } from '../config/index.js';
import { configError } from '../config/index.js';
import type { Logger } from '../core/logger.js';
import {
  failClosed,
  FallbackBreakerStore,
  MemoryAnswerStore,
  MemoryBreakerStore,
  RedisAnswerStore,
  RedisStatsStore,
  FallbackRateLimitStore,
  FallbackSlotStore,
  MemoryRateLimitStore,
  MemorySlotStore,
  openPostgresRecords,
  openRedisState,
  openSqliteStore,
  StateHealth,
  type AlertStore,
  type AnswerStore,
  type AuditLog,
  type BreakerStore,
  type BaselineStore,
  type BudgetStore,
  type JobStore,
  type KeyStore,
  type RedisState,
  type RateLimitStore,
  type SessionStore,
  type SlotStore,
  type StatsStore,
  type UsageLedger,
} from '../store/index.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Every store a Rampart instance uses, on the backends the config chose. */
export interface Backends {
  keys: KeyStore;
  sessions: SessionStore;
  rateLimits: RateLimitStore;
  slots: SlotStore;
  /** Circuit breakers of route targets: shared in Redis (local while it is down), else local. */
  breakers: BreakerStore;
  /** Stored answers for degraded mode. */
  answers: AnswerStore;
  /** The budget ledger: shared in Redis (refusing while it is down), else in the SQLite file. */
  budgets: BudgetStore;
  /** Deferred jobs: durable records (PostgreSQL or SQLite). */
  jobs: JobStore;
  /** The append-only log of tool authorization decisions: durable records. */
  audit: AuditLog;
  /** Every turn's tokens and cost: durable records. */
  usage: UsageLedger;
  /** Per-minute stats rollups: shared in Redis, else in the SQLite file. */
  stats: StatsStore;
  /** Alerts and their webhook outbox: shared in Redis, else in the SQLite file. */
  alerts: AlertStore;
  /** The anomaly detector's history of past days: shared in Redis, else in the SQLite file. */
  baselines: BaselineStore;
  health: StateHealth;
  close(): Promise<void>;
}

function required(value: string | undefined, key: string, variable: string, source: string) {
  if (value) return value;
  throw configError(key, `required for this backend (or set ${variable})`, source);
}

async function openRecords(config: RampartConfig, env: Env, logger: Logger) {
  if (config.records.backend !== 'postgres') return undefined;
  const url = required(
    config.records.url ?? env.DATABASE_URL,
    'records.url',
    'DATABASE_URL',
    config.source,
  );
  return openPostgresRecords({ url, schema: config.records.schema, logger });
}

async function openState(config: RampartConfig, env: Env, logger: Logger) {
  if (config.state.backend !== 'redis') return undefined;
  const { clusterNodes, keyPrefix, commandTimeoutMs } = config.state;
  const idle = config.sessions.idleTtlMs;
  // Connection errors are reported where they matter, by the failure policy of each concern.
  const onError = (error: unknown) => logger.debug({ err: error }, 'redis connection error');
  const common = {
    keyPrefix,
    commandTimeoutMs,
    onError,
    ...(idle > 0 ? { sessionIdleTtlMs: idle } : {}),
  };
  if (clusterNodes) return openRedisState({ ...common, cluster: { nodes: clusterNodes } });
  const url = required(config.state.url ?? env.REDIS_URL, 'state.url', 'REDIS_URL', config.source);
  return openRedisState({ ...common, url });
}

/**
 * Rate limits and slots: in process, or shared in Redis under the configured failure policy
 * (fall back to this instance's own stores, or refuse).
 */
function limitStores(
  state: RedisState | undefined,
  policy: RampartConfig['state']['onFailure'],
  health: StateHealth,
): { rateLimits: RateLimitStore; slots: SlotStore } {
  const localLimits = new MemoryRateLimitStore();
  const localSlots = new MemorySlotStore();
  if (!state) return { rateLimits: localLimits, slots: localSlots };
  return {
    rateLimits:
      policy.rateLimits === 'local'
        ? new FallbackRateLimitStore(state.rateLimits, localLimits, health)
        : failClosed(state.rateLimits, 'rateLimits', health),
    slots:
      policy.concurrency === 'local'
        ? new FallbackSlotStore(state.slots, localSlots, health)
        : failClosed(state.slots, 'concurrency', health),
  };
}

/** Breakers and stored answers: shared when Redis is configured, in process otherwise. */
function resilienceStores(
  config: RampartConfig,
  state: RedisState | undefined,
  health: StateHealth,
) {
  const localBreakers = new MemoryBreakerStore();
  const maxEntries = config.resilience.degraded.cache.maxEntries;
  if (!state) return { breakers: localBreakers, answers: new MemoryAnswerStore({ maxEntries }) };
  return {
    breakers: new FallbackBreakerStore(state.breakers, localBreakers, health),
    answers: new RedisAnswerStore(state.client, config.state.keyPrefix),
  };
}

/**
 * Opens the configured backends: SQLite and in-process state by default; Redis for shared hot
 * state and PostgreSQL for durable records when configured. Shared-state stores are wrapped in
 * the configured failure policy, so an outage is handled the same way everywhere.
 */
export async function openBackends(
  config: RampartConfig,
  env: Env,
  logger: Logger,
): Promise<Backends> {
  const health = new StateHealth(logger);
  const records = await openRecords(config, env, logger);
  const state = await openState(config, env, logger).catch(async (error: unknown) => {
    await records?.close();
    throw error;
  });
  const needsSqlite = !records || !state;
  const idle = config.sessions.idleTtlMs;
  const statsRetentionMs = config.observe.stats.retentionHours * 3_600_000;
  const sqlite = needsSqlite
    ? openSqliteStore({
        path: join(config.dataDir, 'rampart.db'),
        ...(idle > 0 ? { sessionIdleTtlMs: idle } : {}),
        statsRetentionMs,
      })
    : undefined;
  return {
    keys: records?.keys ?? sqlite!.keys,
    sessions: state ? failClosed(state.sessions, 'sessions', health) : sqlite!.sessions,
    ...limitStores(state, config.state.onFailure, health),
    ...resilienceStores(config, state, health),
    budgets: state ? failClosed(state.budgets, 'budgets', health) : sqlite!.budgets,
    jobs: records?.jobs ?? sqlite!.jobs,
    audit: records?.audit ?? sqlite!.audit,
    usage: records?.usage ?? sqlite!.usage,
    stats: state
      ? new RedisStatsStore(state.client, {
          keyPrefix: config.state.keyPrefix,
          retentionMs: statsRetentionMs,
        })
      : sqlite!.stats,
    alerts: state?.alerts ?? sqlite!.alerts,
    baselines: state?.baselines ?? sqlite!.baselines,
    health,
    async close() {
      await Promise.allSettled([state?.close(), records?.close(), sqlite?.close()]);
    },
  };
}

/** Just the key store, for the `rampart keys` command. */
export async function openKeyStore(config: RampartConfig, env: Env, logger: Logger) {
  const records = await openRecords(config, env, logger);
  if (records) return { keys: records.keys as KeyStore, close: () => records.close() };
  const sqlite = openSqliteStore({ path: join(config.dataDir, 'rampart.db') });
  return { keys: sqlite.keys as KeyStore, close: () => sqlite.close() };
}
