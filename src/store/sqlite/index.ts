export { openSqliteStore, type SqliteStore, type SqliteStoreOptions } from './open-sqlite-store.js';
export { SqliteAuditLog } from './sqlite-audit-log.js';
export { SqliteUsageLedger } from './sqlite-usage-ledger.js';
export { SqliteBudgetStore } from './sqlite-budget-store.js';
export { SqliteStatsStore } from './sqlite-stats-store.js';
export { SqliteJobStore } from './sqlite-job-store.js';
export { SqliteKeyStore } from './sqlite-key-store.js';
export { SqliteSessionStore, type SqliteSessionStoreOptions } from './sqlite-session-store.js';
export { MIGRATIONS, type Migration } from './migrations.js';
