import type { Principal } from '../core/index.js';
import type { SessionStore } from './session-types.js';

/**
 * The narrow storage interfaces. Each operation is written so a Redis or PostgreSQL backend can
 * perform it atomically on its own (one transaction, one script); callers never read, modify and
 * write back. Every backend runs the shared contract suite in `contract/`.
 */

/** What an API key grants; the secret itself is never part of a record. */
export interface ApiKeyRecord {
  /** The public key id, also embedded in the key itself. */
  id: string;
  userId: string;
  role: string;
  tier: string;
  permissions: string[];
  label?: string;
  /** The team the key belongs to, for team budgets; absent: none. */
  team?: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; present once the key is revoked. */
  revokedAt?: string;
}

export interface CreateApiKeyInput {
  userId: string;
  role: string;
  tier: string;
  permissions: readonly string[];
  label?: string;
  /** The team the key belongs to, for team budgets. Default: none. */
  team?: string;
}

export interface CreatedApiKey {
  /** The secret, `rk_<id>_<random>`. Shown once: only its hash is stored. */
  key: string;
  record: ApiKeyRecord;
}

export interface KeyStore {
  create(input: CreateApiKeyInput): Promise<CreatedApiKey>;
  /** The principal for a valid key; `undefined` for a malformed, unknown or revoked one. */
  authenticate(secret: string): Promise<Principal | undefined>;
  /** Keys, oldest first; only one user's when `userId` is given. */
  list(userId?: string): Promise<ApiKeyRecord[]>;
  /** Revokes a key; `false` when it is unknown or was already revoked. */
  revoke(keyId: string): Promise<boolean>;
}

/** All state of one backend. */
export interface Store {
  keys: KeyStore;
  sessions: SessionStore;
  /** Releases the backend; the stores are not used afterwards. */
  close(): Promise<void>;
}

/** The outcome of one rate-limit take. */
export interface RateLimitResult {
  allowed: boolean;
  /** Units still available right now after this take (0 when refused). */
  remaining: number;
  /** Milliseconds until `cost` more units would fit; 0 when allowed. */
  retryAfterMs: number;
  /** Milliseconds until the budget is whole again (all `limit` units available). */
  resetAfterMs: number;
}

export interface RateLimitTakeOptions {
  /** Units allowed per window, e.g. requests or tokens per minute. */
  limit: number;
  windowMs: number;
  /** Units this request takes; may exceed the remaining budget, then it is refused. */
  cost: number;
}

/**
 * Rate-limit budgets keyed by a string (`rpm:<user>`), shared by every instance using the same
 * backend. Each operation is one atomic step in the backend. Refused takes consume nothing, so a
 * refused request never uses up budget that a later request needs.
 */
export interface RateLimitStore {
  take(key: string, options: RateLimitTakeOptions): Promise<RateLimitResult>;
  /**
   * Corrects a past take by `delta` units (negative gives units back), e.g. an estimated token
   * count corrected by the provider's reported usage. Never refuses; the budget may go into debt.
   */
  adjust(key: string, options: { limit: number; windowMs: number; delta: number }): Promise<void>;
}

export interface SlotRequest {
  /** Most slots of the pool held at once, across all instances. */
  limit: number;
  /** Unique id of this waiter (one per request), stable across its retries. */
  waiter: string;
  /** Whose request this is: waiters are served fairly across users, oldest first within one. */
  user: string;
  /** A held slot expires after this long unless renewed (a crashed instance's slots come back). */
  leaseMs: number;
  /** A waiter that does not ask again within this long loses its place in line. */
  waiterTtlMs: number;
}

/** A granted slot: release it with its id. */
export interface Slot {
  id: string;
  /** When the lease runs out unless renewed (ms since epoch). */
  expiresAt: number;
}

/**
 * Concurrency slots with a fair line of waiters. `tryAcquire` grants a slot only when one is
 * free AND this waiter is next in line: the next user is the one among the waiting users that
 * was served least recently, and within a user the oldest waiter goes first. So one user's
 * burst cannot starve another user's single request, on one instance or across many.
 */
export interface SlotStore {
  /** Joins (or keeps a place in) the line and takes a slot if it is this waiter's turn. */
  tryAcquire(pool: string, request: SlotRequest): Promise<Slot | undefined>;
  /** Gives the slot back; `false` when it had already expired or been released. */
  release(pool: string, slotId: string): Promise<boolean>;
  /** Extends a held slot's lease; `false` when it had already expired. */
  renew(pool: string, slotId: string, leaseMs: number): Promise<boolean>;
  /** Leaves the line (timed out or client gone), giving back a slot granted to this waiter. */
  leave(pool: string, waiter: string): Promise<void>;
  /** Slots held right now (expired leases not counted). */
  inUse(pool: string): Promise<number>;
}

/** When a circuit breaker opens, and for how long. */
export interface BreakerPolicy {
  /** Outcomes are counted over this sliding window. */
  windowMs: number;
  /** The breaker never opens on fewer outcomes than this within the window. */
  minRequests: number;
  /** Share of failures in the window, in (0, 1], at or above which the breaker opens. */
  failureRate: number;
  /** How long an open breaker refuses every call before it lets one probe through. */
  openMs: number;
  /** A probe that never reports frees its turn after this long, so another can probe. */
  probeLeaseMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Whether one call may go to the upstream behind a breaker. */
export type BreakerAdmission =
  | {
      allowed: true;
      state: BreakerState;
      /** This call is the half-open probe. */
      probe: boolean;
      /** Names this probe in its report, so a stale probe's report cannot free a live one's turn. */
      probeToken?: number;
    }
  | {
      allowed: false;
      state: 'open' | 'half-open';
      /** Until a probe may be let through. */ retryAfterMs: number;
    };

/**
 * How an admitted call ended for its target: `abandoned` when it ended without saying anything
 * about the target (the client left, our own limits refused it). An abandoned probe frees the
 * half-open turn at once, so the next caller probes instead of waiting out the probe lease.
 */
export type BreakerOutcome = 'success' | 'failure' | 'abandoned';

/**
 * Circuit breakers by id (one per provider model), shared by every instance using the same
 * backend. Closed: every call is admitted and its outcome counted; once the window holds at
 * least `minRequests` outcomes with a failure share of at least `failureRate`, the breaker
 * opens. Open: every call is refused until `openMs` has passed. Half-open: exactly one caller
 * is admitted as the probe (until it reports, or its `probeLeaseMs` runs out); its success
 * closes the breaker with an empty window, its failure opens it again for `openMs`. Outcomes
 * reported by non-probe calls while the breaker is not closed are ignored.
 */
export interface BreakerStore {
  admit(id: string, policy: BreakerPolicy): Promise<BreakerAdmission>;
  /**
   * Reports how an admitted call ended; returns the state after it. A probe passes the
   * `probeToken` it was admitted with: `abandoned` frees the half-open turn only while that
   * probe still holds it.
   */
  record(
    id: string,
    outcome: BreakerOutcome,
    policy: BreakerPolicy,
    probe: boolean,
    probeToken?: number,
  ): Promise<BreakerState>;
  /** The state right now, without admitting anything (metrics, `/readyz`). */
  state(id: string, policy: BreakerPolicy): Promise<BreakerState>;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export type WebhookStatus = 'none' | 'pending' | 'delivered' | 'failed';

/** A deferred request: accepted while no provider could answer, answered once one can. */
export interface JobRecord {
  /** `job_` followed by 24 random base64url characters. */
  id: string;
  /** The owning user's id; a job of another owner behaves as one that does not exist. */
  owner: string;
  /** What the request is, e.g. `chat.completion`; decides how `request` is run. */
  kind: string;
  status: JobStatus;
  /** The request to run, as JSON. */
  request: unknown;
  /** The answer, as JSON, once `succeeded`. */
  result?: unknown;
  /** Why the job failed, once `failed`. */
  error?: { code: string; message: string };
  /** Times a run of this job was started (claims). */
  attempts: number;
  webhookUrl?: string;
  webhookStatus: WebhookStatus;
  /** Delivery attempts of the webhook so far. */
  webhookAttempts: number;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
  /** ISO 8601; present once `succeeded` or `failed`. */
  completedAt?: string;
}

export interface CreateJobInput {
  kind: string;
  request: unknown;
  webhookUrl?: string;
}

/** A job taken by one runner: only the holder of `token` may finish or requeue it. */
export interface JobClaim {
  token: string;
  job: JobRecord;
}

/** A finished job whose webhook is due, taken by one deliverer under `token`. */
export interface WebhookClaim {
  token: string;
  job: JobRecord;
}

/**
 * Durable deferred jobs. Every transition is one atomic step in the backend, and runners on
 * many instances may claim at once: a job is claimed by one runner at a time, and a claim whose
 * lease runs out (a crashed runner) lets the job be claimed again.
 */
export interface JobStore {
  create(owner: string, input: CreateJobInput): Promise<JobRecord>;
  get(owner: string, id: string): Promise<JobRecord | undefined>;
  /**
   * Claims the job due longest (ties: the oldest) that is `queued`, or `running` with an
   * expired lease: it becomes `running`, `attempts` grows by one, and the lease lasts `leaseMs`.
   * A requeued job is due again only after its delay, so it goes behind jobs that fell due
   * meanwhile.
   */
  claim(leaseMs: number): Promise<JobClaim | undefined>;
  /** `succeeded` with the result; `false` (nothing written) when the claim was lost. */
  complete(id: string, token: string, result: unknown): Promise<boolean>;
  /** `failed` for good with the error; `false` when the claim was lost. */
  fail(id: string, token: string, error: { code: string; message: string }): Promise<boolean>;
  /**
   * Extends a running job's lease to `leaseMs` from now, so a long run is not taken over by
   * another runner; `false` when the claim was lost.
   */
  renew(id: string, token: string, leaseMs: number): Promise<boolean>;
  /** Back to `queued`, not due for `delayMs`; `false` when the claim was lost. */
  requeue(id: string, token: string, delayMs: number): Promise<boolean>;
  /**
   * Deletes jobs that finished (`succeeded` or `failed`) more than `olderThanMs` ago and whose
   * webhook is not still `pending`; returns how many. Requests and answers are kept no longer.
   */
  purgeFinished(olderThanMs: number): Promise<number>;
  /** Claims a finished job whose webhook is `pending` and due, for `leaseMs`. */
  claimWebhook(leaseMs: number): Promise<WebhookClaim | undefined>;
  /**
   * Records a delivery attempt: `delivered`, `failed` for good, or still `pending` and due again
   * after `retryInMs`. `webhookAttempts` grows by one. `false` when the claim was lost.
   */
  recordWebhook(
    id: string,
    token: string,
    outcome: { status: 'delivered' | 'failed' } | { status: 'pending'; retryInMs: number },
  ): Promise<boolean>;
}

/** A stored model answer, served in degraded mode while its route is down. */
export interface StoredAnswer {
  text: string;
  /** ISO 8601: when the answer was given. */
  storedAt: string;
}

/**
 * Answers by key (a digest of everything that shaped them), each kept for its own TTL. Losing
 * one is harmless; a backend may evict early.
 */
export interface AnswerStore {
  get(key: string): Promise<StoredAnswer | undefined>;
  set(key: string, answer: StoredAnswer, ttlMs: number): Promise<void>;
}

export type {
  BeginTurnOptions,
  BeginTurnOutcome,
  CommitTurnOptions,
  CommitTurnOutcome,
  CreateSessionInput,
  SessionRecord,
  SessionStatePatch,
  SessionStore,
  TurnLease,
} from './session-types.js';
export type {
  AuditEntry,
  AuditEntryInput,
  AuditLog,
  AuditQuery,
  AuditVerdict,
} from './audit-types.js';
