/**
 * State behind narrow async interfaces, with the embedded SQLite backend. The contract suites a
 * backend must pass live in `contract/` and are imported by tests only.
 */
export type {
  AnswerStore,
  ApiKeyRecord,
  AuditEntry,
  AuditEntryInput,
  AuditLog,
  AuditQuery,
  AuditVerdict,
  BeginTurnOptions,
  BeginTurnOutcome,
  CommitTurnOptions,
  CommitTurnOutcome,
  CreateApiKeyInput,
  CreatedApiKey,
  CreateSessionInput,
  CreateJobInput,
  JobClaim,
  JobRecord,
  JobStatus,
  JobStore,
  KeyStore,
  SessionRecord,
  SessionStatePatch,
  SessionStore,
  Store,
  StoredAnswer,
  TurnLease,
  RateLimitResult,
  RateLimitTakeOptions,
  RateLimitStore,
  SlotRequest,
  Slot,
  SlotStore,
  BreakerAdmission,
  BreakerOutcome,
  BreakerPolicy,
  BreakerState,
  BreakerStore,
  WebhookClaim,
  WebhookStatus,
} from './types.js';
export type {
  UsageFigures,
  UsageGroup,
  UsageGroupBy,
  UsageLedger,
  UsageModelLine,
  UsageQuery,
  UsageRecordInput,
  UsageSummary,
} from './usage-types.js';
export { USAGE_DEFAULT_LIMIT, USAGE_MAX_LIMIT, USAGE_MAX_RANGE_MS } from './usage-rules.js';
export { isTimeZone, startOfDay } from './usage-days.js';
export { parseApiKeyId } from './api-key-format.js';
export { argumentsDigest } from './audit-digest.js';
export {
  openSqliteStore,
  MIGRATIONS,
  SqliteAuditLog,
  SqliteBudgetStore,
  SqliteUsageLedger,
  SqliteJobStore,
  SqliteKeyStore,
  SqliteSessionStore,
  type Migration,
  type SqliteSessionStoreOptions,
  type SqliteStore,
  type SqliteStoreOptions,
} from './sqlite/index.js';
export {
  openPostgresRecords,
  PostgresAuditLog,
  PostgresUsageLedger,
  type PostgresUsageLedgerOptions,
  PostgresJobStore,
  PostgresKeyStore,
  POSTGRES_MIGRATIONS,
  type PostgresAuditLogOptions,
  type PostgresJobStoreOptions,
  type PostgresKeyStoreOptions,
  type PostgresMigration,
  type PostgresRecords,
  type PostgresRecordsOptions,
} from './postgres/index.js';
export {
  MemoryBreakerStore,
  MemoryRateLimitStore,
  MemorySlotStore,
  type MemoryBreakerStoreOptions,
  type MemoryRateLimitStoreOptions,
  type MemorySlotStoreOptions,
} from './memory/index.js';
export {
  StateHealth,
  failClosed,
  FallbackBreakerStore,
  FallbackRateLimitStore,
  FallbackSlotStore,
  type StateConcern,
} from './resilience/index.js';
export {
  openRedisState,
  RedisBreakerStore,
  RedisRateLimitStore,
  RedisSessionStore,
  RedisSlotStore,
  type RedisClient,
  type RedisState,
  type RedisStateOptions,
  type RedisSessionStoreOptions,
  type RedisSlotStoreOptions,
  type RedisStoreOptions,
} from './redis/index.js';
export { MemoryAnswerStore, type MemoryAnswerStoreOptions } from './memory/index.js';
export { RedisAnswerStore } from './redis/index.js';
export type {
  BudgetCharge,
  BudgetCounterTake,
  BudgetReserveRequest,
  BudgetReserveResult,
  BudgetStanding,
  BudgetStore,
} from './budget-types.js';
export { MemoryBudgetStore, type MemoryBudgetStoreOptions } from './memory/index.js';
export { RedisBudgetStore } from './redis/index.js';
export type {
  BucketCounts,
  StatsRollup,
  StatsStore,
  StatsUnit,
  StatsWrite,
} from './stats-types.js';
export { HOUR_MS, MINUTE_MS } from './stats-rules.js';
export { MemoryStatsStore, type MemoryStatsStoreOptions } from './memory/index.js';
export { SqliteStatsStore } from './sqlite/index.js';
export { RedisStatsStore, type RedisStatsStoreOptions } from './redis/index.js';
export type {
  AlertDelivery,
  AlertDeliveryClaim,
  AlertDeliveryOutcome,
  AlertEvent,
  AlertInput,
  AlertKind,
  AlertQuery,
  AlertRecord,
  AlertSeverity,
  AlertState,
  AlertStore,
  BaselinePoint,
  BaselineStore,
} from './alert-types.js';
export { ALERT_LIST_MAX, alertSubject } from './alert-rules.js';
export {
  MemoryAlertStore,
  MemoryBaselineStore,
  type MemoryAlertStoreOptions,
} from './memory/index.js';
export { SqliteAlertStore, SqliteBaselineStore } from './sqlite/index.js';
export { RedisAlertStore, RedisBaselineStore } from './redis/index.js';
