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
import type { CreateJobInput, JobClaim, JobRecord, JobStore, WebhookClaim } from '../types.js';
import { isUniqueViolation, settle, type SqliteDatabase } from './database.js';
import { prepareJobStatements, type JobRow } from './job-statements.js';

/**
 * Deferred jobs in SQLite. A claim finds the oldest due job and takes it in one IMMEDIATE
 * transaction, so two connections (or processes) sharing the file never claim the same job;
 * every later step names the claim's token and writes nothing once another claim replaced it.
 */
export class SqliteJobStore implements JobStore {
  private readonly statements;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly clock: () => number,
  ) {
    this.statements = prepareJobStatements(database);
  }

  create(owner: string, input: CreateJobInput): Promise<JobRecord> {
    return settle(() => {
      const job = checkCreateJob(owner, input);
      const webhookStatus = job.webhookUrl === undefined ? 'none' : 'pending';
      for (;;) {
        const row = { ...job, id: newJobId(), owner, webhookUrl: job.webhookUrl ?? null };
        try {
          this.statements.insert.run({ ...row, webhookStatus, now: this.clock() });
        } catch (error) {
          // A 144-bit id collision is astronomically rare; draw again rather than fail.
          if (isUniqueViolation(error)) continue;
          throw error;
        }
        return this.read(row.id) as JobRecord;
      }
    });
  }

  get(owner: string, id: string): Promise<JobRecord | undefined> {
    return settle(() => {
      if (!isJobId(id) || !isStorableText(owner)) return undefined;
      const row = this.statements.select.get({ id, owner }) as JobRow | undefined;
      return row && toRecord(row);
    });
  }

  claim(leaseMs: number): Promise<JobClaim | undefined> {
    return settle(() => {
      checkLeaseMs(leaseMs);
      return this.database.transaction(() => this.take(leaseMs)).immediate();
    });
  }

  complete(id: string, token: string, result: unknown): Promise<boolean> {
    return settle(() => {
      const text = toJsonText(result, 'The job result');
      return this.finish(id, token, { status: 'succeeded', result: text, error: null });
    });
  }

  fail(id: string, token: string, error: { code: string; message: string }): Promise<boolean> {
    return settle(() => {
      const text = checkJobError(error);
      return this.finish(id, token, { status: 'failed', result: null, error: text });
    });
  }

  renew(id: string, token: string, leaseMs: number): Promise<boolean> {
    return settle(() => {
      checkLeaseMs(leaseMs);
      if (!isJobId(id) || !isLeaseToken(token)) return false;
      const now = this.clock();
      return this.statements.renew.run({ id, token, now, expires: now + leaseMs }).changes > 0;
    });
  }

  requeue(id: string, token: string, delayMs: number): Promise<boolean> {
    return settle(() => {
      checkDelayMs(delayMs, 'delayMs');
      if (!isJobId(id) || !isLeaseToken(token)) return false;
      const now = this.clock();
      const values = { id, token, now, due: now + delayMs };
      return this.statements.requeue.run(values).changes > 0;
    });
  }

  purgeFinished(olderThanMs: number): Promise<number> {
    return settle(() => {
      checkDelayMs(olderThanMs, 'olderThanMs');
      return this.statements.purge.run(this.clock() - olderThanMs).changes;
    });
  }

  claimWebhook(leaseMs: number): Promise<WebhookClaim | undefined> {
    return settle(() => {
      checkLeaseMs(leaseMs);
      return this.database.transaction(() => this.takeWebhook(leaseMs)).immediate();
    });
  }

  recordWebhook(id: string, token: string, outcome: WebhookOutcome): Promise<boolean> {
    return settle(() => {
      checkWebhookOutcome(outcome);
      if (!isJobId(id) || !isLeaseToken(token)) return false;
      const now = this.clock();
      const due = outcome.status === 'pending' ? now + outcome.retryInMs : null;
      const values = { id, token, now, due, status: outcome.status };
      return this.statements.recordWebhook.run(values).changes > 0;
    });
  }

  private take(leaseMs: number): JobClaim | undefined {
    const now = this.clock();
    const id = this.statements.nextRunnable.pluck().get(now) as string | undefined;
    if (id === undefined) return undefined;
    const token = newLeaseToken();
    this.statements.take.run({ id, token, now, expires: now + leaseMs });
    return { token, job: this.read(id) as JobRecord };
  }

  private takeWebhook(leaseMs: number): WebhookClaim | undefined {
    const now = this.clock();
    const id = this.statements.nextWebhook.pluck().get(now) as string | undefined;
    if (id === undefined) return undefined;
    const token = newLeaseToken();
    this.statements.takeWebhook.run({ id, token, expires: now + leaseMs });
    return { token, job: this.read(id) as JobRecord };
  }

  private finish(
    id: string,
    token: string,
    values: { status: 'succeeded' | 'failed'; result: string | null; error: string | null },
  ): boolean {
    if (!isJobId(id) || !isLeaseToken(token)) return false;
    return this.statements.finish.run({ ...values, id, token, now: this.clock() }).changes > 0;
  }

  private read(id: string): JobRecord | undefined {
    const row = this.statements.selectById.get(id) as JobRow | undefined;
    return row && toRecord(row);
  }
}

function toRecord(row: JobRow): JobRecord {
  const record: JobRecord = {
    id: row.id,
    owner: row.owner,
    kind: row.kind,
    status: row.status,
    request: JSON.parse(row.request) as unknown,
    attempts: row.attempts,
    webhookStatus: row.webhook_status,
    webhookAttempts: row.webhook_attempts,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
  if (row.result !== null) record.result = JSON.parse(row.result) as unknown;
  if (row.error !== null) record.error = parseJobError(row.error);
  if (row.webhook_url !== null) record.webhookUrl = row.webhook_url;
  if (row.completed_at !== null) record.completedAt = new Date(row.completed_at).toISOString();
  return record;
}
