import type { RampartConfig } from '../config/index.js';
import type { TokenCounts } from '../core/index.js';
import type { Logger } from '../core/logger.js';
import type { MetricSet, Stats, Telemetry } from '../observe/index.js';
import type { Provider } from '../providers/provider.js';
import type { BreakerGuard } from '../resilience/index.js';
import type { Runtime } from '../runtime/index.js';
import type { SessionService } from '../sessions/index.js';
import type { ToolAuthorizer } from '../tools/index.js';
import type {
  AlertStore,
  AuditLog,
  JobStore,
  KeyStore,
  RateLimitStore,
  StateHealth,
  UsageLedger,
} from '../store/index.js';
import type { ActiveTurns } from './active-turns.js';

/** What the routes share: built once at start, read-only afterwards (but for `draining`). */
export interface HttpContext {
  config: RampartConfig;
  runtime: Runtime;
  keys: KeyStore;
  /** Deferred jobs (degraded mode). */
  jobs: JobStore;
  sessions: SessionService;
  providers: ReadonlyMap<string, Provider>;
  activeTurns: ActiveTurns;
  logger: Logger;
  /** Circuit breakers of route targets, for readiness; absent when turned off. */
  breakers?: BreakerGuard;
  /** Shared-state failures by concern, for readiness. */
  health: StateHealth;
  /** Decides server-side tool calls; records the calls users decline. Absent: none. */
  authorizer?: ToolAuthorizer;
  /** The tool authorization audit log, for `GET /v1/audit`. Absent: the route is not served. */
  audit?: AuditLog;
  /** The usage ledger, for `GET /v1/usage`. Absent: the route is not served. */
  usage?: UsageLedger;
  /** Counts prompt tokens per model, for `POST /v1/messages/count_tokens`. Absent: estimated. */
  tokens?: TokenCounts;
  /** Per-user rate limits, for routes that are no turn (token counts). Absent: none. */
  rateLimits?: RateLimitStore;
  /** Where routes report what monitoring counts (ratings, say). */
  telemetry: Telemetry;
  /** The Prometheus series, for `GET /metrics`. Absent: metrics are off. */
  metrics?: MetricSet;
  /** Stats rollups, for `GET /v1/stats`. Absent: the routes are not served. */
  stats?: Stats;
  /** Alerts, for `GET /v1/alerts`. Absent: the route is not served. */
  alerts?: AlertStore;
  /** Set when shutdown begins: readiness fails and new turns are refused. */
  lifecycle: { draining: boolean };
}
