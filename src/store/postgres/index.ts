/**
 * Durable records in PostgreSQL for deployments of many instances: a bounded pool with timeouts,
 * versioned migrations applied once under an advisory lock, and the stores over one schema.
 */
export {
  openPostgresRecords,
  type PostgresRecords,
  type PostgresRecordsOptions,
} from './open-postgres-records.js';
export { PostgresAuditLog, type PostgresAuditLogOptions } from './postgres-audit-log.js';
export { PostgresUsageLedger, type PostgresUsageLedgerOptions } from './postgres-usage-ledger.js';
export { PostgresJobStore, type PostgresJobStoreOptions } from './postgres-job-store.js';
export { PostgresKeyStore, type PostgresKeyStoreOptions } from './postgres-key-store.js';
export { POSTGRES_MIGRATIONS, type PostgresMigration } from './migrations.js';
