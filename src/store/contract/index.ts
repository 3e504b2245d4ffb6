/**
 * The contract suites every store backend must pass. Test code only: these import vitest.
 */
export { describeKeyStoreContract } from './key-store-contract.js';
export {
  describeSessionStoreContract,
  type SessionHarnessFactory,
  type SessionHarnessOptions,
} from './session-store-contract.js';
export { describeJobStoreContract } from './job-store-contract.js';
export { describeRateLimitStoreContract } from './rate-limit-store-contract.js';
export { describeSlotStoreContract, CONTRACT_MARK_RETENTION_MS } from './slot-store-contract.js';
export { describeBreakerStoreContract } from './breaker-store-contract.js';
export {
  createManualClock,
  type ContractCapabilities,
  type ContractHarness,
  type HarnessFactory,
} from './harness.js';
export { hostileMessages } from './hostile-messages.js';
export { describeAuditLogContract } from './audit-log-contract.js';
export {
  bareDecision,
  decision,
  type AuditLogHarness,
  type AuditLogHarnessFactory,
} from './audit-fixtures.js';
export { describeBudgetStoreContract } from './budget-store-contract.js';
export {
  describeUsageLedgerContract,
  usageRecord,
  type UsageLedgerHarness,
} from './usage-ledger-contract.js';
export {
  CONTRACT_STATS_RETENTION_MS,
  describeStatsStoreContract,
  plainRollup,
  statsWrite,
  type StatsHarnessFactory,
} from './stats-store-contract.js';
export { describeAlertStoreContract, alertInput } from './alert-store-contract.js';
export { describeBaselineStoreContract } from './baseline-store-contract.js';
