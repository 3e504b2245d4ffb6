/**
 * State behind narrow async interfaces, with the embedded SQLite backend. The contract suites a
 * backend must pass live in `contract/` and are imported by tests only.
 */
export type {
  ApiKeyRecord,
  BeginTurnOptions,
  BeginTurnOutcome,
  CommitTurnOutcome,
  CreateApiKeyInput,
  CreatedApiKey,
  CreateSessionInput,
  KeyStore,
  SessionRecord,
  SessionStore,
  Store,
  TurnLease,
  RateLimitResult,
  RateLimitTakeOptions,
  RateLimitStore,
  SlotRequest,
  Slot,
  SlotStore,
} from './types.js';
export { parseApiKeyId } from './api-key-format.js';
export {
  openSqliteStore,
  MIGRATIONS,
  SqliteKeyStore,
  SqliteSessionStore,
  type Migration,
  type SqliteSessionStoreOptions,
  type SqliteStore,
  type SqliteStoreOptions,
} from './sqlite/index.js';
export {
  openPostgresRecords,
  PostgresKeyStore,
  POSTGRES_MIGRATIONS,
  type PostgresKeyStoreOptions,
  type PostgresMigration,
  type PostgresRecords,
  type PostgresRecordsOptions,
} from './postgres/index.js';
export {
  MemoryRateLimitStore,
  MemorySlotStore,
  type MemoryRateLimitStoreOptions,
  type MemorySlotStoreOptions,
} from './memory/index.js';
export {
  StateHealth,
  failClosed,
  FallbackRateLimitStore,
  FallbackSlotStore,
  type StateConcern,
} from './resilience/index.js';
export {
  openRedisState,
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
