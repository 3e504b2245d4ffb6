import type { Pool, QueryResultRow } from 'pg';
import {
  checkCreateJob,
  checkDelayMs,
  checkJobError,
  checkLeaseMs,
  checkWebhookOutcome,
  isJobId,
  isLeaseToken,
  newJobId,
  parseJobError,
  toJsonText,
  type WebhookOutcome,
} from '../job-rules.js';
import { newLeaseToken } from '../random-ids.js';
import { isStorableText } from '../text-rules.js';
import type {
  CreateJobInput,
  JobClaim,
  JobRecord,
  JobStatus,
  JobStore,
  WebhookClaim,
  WebhookStatus,
} from '../types.js';
import { quoteSchemaName } from './connection.js';
import { jobStatements } from './job-statements.js';
import { storeFailure } from './store-failure.js';

interface JobRow {
  id: string;
  owner: Buffer;
  kind: Buffer;
  status: JobStatus;
  request: string;
  result: string | null;
  error: string | null;
  attempts: number;
  webhook_url: string | null;
  webhook_status: WebhookStatus;
  webhook_attempts: number;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
}

export interface PostgresJobStoreOptions {
  /** The schema holding the migrated `jobs` table. */
  schema: string;
  /**
   * Milliseconds since the epoch, for timestamps, due times and leases. Default: the database
   * clock, which every instance shares; set a clock only to step time in tests.
   */
  clock?: () => number;
}

/**
 * Deferred jobs in PostgreSQL. Every operation is one statement: a claim picks the oldest due
 * row with `FOR UPDATE SKIP LOCKED` and takes it in the same UPDATE, so instances claiming at
 * once each get a different job; later steps name the claim's token in their WHERE.
 */
export class PostgresJobStore implements JobStore {
  private readonly clock: (() => number) | undefined;
  private readonly sql;

  constructor(
    private readonly pool: Pool,
    options: PostgresJobStoreOptions,
  ) {
    this.clock = options.clock;
    this.sql = jobStatements(`${quoteSchemaName(options.schema)}.jobs`);
  }

  async create(owner: string, input: CreateJobInput): Promise<JobRecord> {
    const job = checkCreateJob(owner, input);
    const webhookStatus = job.webhookUrl === undefined ? 'none' : 'pending';
    for (;;) {
      const identity = [encodeText(owner), encodeText(job.kind)];
      const values = [newJobId(), ...identity, job.request, job.webhookUrl ?? null, webhookStatus];
      const { rows } = await this.timed<JobRow>(this.sql.insert, values);
      // A 144-bit id collision is astronomically rare; draw again rather than fail.
      if (rows[0]) return toRecord(rows[0]);
    }
  }

  async get(owner: string, id: string): Promise<JobRecord | undefined> {
    if (!isJobId(id) || !isStorableText(owner)) return undefined;
    const { rows } = await this.query<JobRow>(this.sql.select, [id, encodeText(owner)]);
    return rows[0] && toRecord(rows[0]);
  }

  async claim(leaseMs: number): Promise<JobClaim | undefined> {
    checkLeaseMs(leaseMs);
    const token = newLeaseToken();
    const { rows } = await this.timed<JobRow>(this.sql.claim, [token, leaseMs]);
    return rows[0] && { token, job: toRecord(rows[0]) };
  }

  async complete(id: string, token: string, result: unknown): Promise<boolean> {
    const text = toJsonText(result, 'The job result');
    return this.finish(id, token, ['succeeded', text, null]);
  }

  async fail(id: string, token: string, error: { code: string; message: string }) {
    const text = checkJobError(error);
    return this.finish(id, token, ['failed', null, text]);
  }

  async renew(id: string, token: string, leaseMs: number): Promise<boolean> {
    checkLeaseMs(leaseMs);
    if (!isJobId(id) || !isLeaseToken(token)) return false;
    return (await this.timed(this.sql.renew, [id, token, leaseMs])).rowCount === 1;
  }

  async requeue(id: string, token: string, delayMs: number): Promise<boolean> {
    checkDelayMs(delayMs, 'delayMs');
    if (!isJobId(id) || !isLeaseToken(token)) return false;
    return (await this.timed(this.sql.requeue, [id, token, delayMs])).rowCount === 1;
  }

  async purgeFinished(olderThanMs: number): Promise<number> {
    checkDelayMs(olderThanMs, 'olderThanMs');
    return (await this.timed(this.sql.purge, [olderThanMs])).rowCount ?? 0;
  }

  async claimWebhook(leaseMs: number): Promise<WebhookClaim | undefined> {
    checkLeaseMs(leaseMs);
    const token = newLeaseToken();
    const { rows } = await this.timed<JobRow>(this.sql.claimWebhook, [token, leaseMs]);
    return rows[0] && { token, job: toRecord(rows[0]) };
  }

  async recordWebhook(id: string, token: string, outcome: WebhookOutcome): Promise<boolean> {
    checkWebhookOutcome(outcome);
    if (!isJobId(id) || !isLeaseToken(token)) return false;
    const retryInMs = outcome.status === 'pending' ? outcome.retryInMs : 0;
    const values = [id, token, outcome.status, retryInMs];
    return (await this.timed(this.sql.recordWebhook, values)).rowCount === 1;
  }

  private async finish(id: string, token: string, values: unknown[]): Promise<boolean> {
    if (!isJobId(id) || !isLeaseToken(token)) return false;
    return (await this.timed(this.sql.finish, [id, token, ...values])).rowCount === 1;
  }

  /** Runs a statement whose `$1` is the time, null for the database clock. */
  private timed<R extends QueryResultRow>(text: string, values: unknown[]) {
    const now = this.clock === undefined ? null : new Date(this.clock()).toISOString();
    return this.query<R>(text, [now, ...values]);
  }

  private async query<R extends QueryResultRow>(text: string, values: unknown[]) {
    try {
      return await this.pool.query<R>(text, values);
    } catch (error) {
      throw storeFailure(error);
    }
  }
}

function toRecord(row: JobRow): JobRecord {
  const record: JobRecord = {
    id: row.id,
    owner: decodeText(row.owner),
    kind: decodeText(row.kind),
    status: row.status,
    request: JSON.parse(row.request) as unknown,
    attempts: row.attempts,
    webhookStatus: row.webhook_status,
    webhookAttempts: row.webhook_attempts,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
  if (row.result !== null) record.result = JSON.parse(row.result) as unknown;
  if (row.error !== null) record.error = parseJobError(row.error);
  if (row.webhook_url !== null) record.webhookUrl = row.webhook_url;
  if (row.completed_at !== null) record.completedAt = row.completed_at.toISOString();
  return record;
}

/** Identity text as UTF-8 bytes: PostgreSQL `text` cannot hold U+0000. */
function encodeText(value: string): Buffer {
  return Buffer.from(value, 'utf8');
}

function decodeText(bytes: Buffer): string {
  return bytes.toString('utf8');
}
