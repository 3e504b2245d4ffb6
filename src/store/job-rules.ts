import { randomBytes } from 'node:crypto';
import { RampartError } from '../core/index.js';
import { requireText } from './text-rules.js';
import type { CreateJobInput, JobRecord } from './types.js';

/** Job ids are `job_` and 24 base64url characters; nothing else can name a stored job. */
const JOB_ID = /^job_[A-Za-z0-9_-]{24}$/;

/** Lease tokens are 22 base64url characters (see `newLeaseToken`). */
const LEASE_TOKEN = /^[A-Za-z0-9_-]{22}$/;

// A URL never holds raw control characters; refusing them keeps every backend's text exact.
const CONTROL_CHARACTER = /\p{Cc}/u;

/** A new job id: `job_` and 24 base64url characters (144 random bits). */
export function newJobId(): string {
  return `job_${randomBytes(18).toString('base64url')}`;
}

/** True for a string shaped like a job id; other strings name no job in any backend. */
export function isJobId(id: unknown): id is string {
  return typeof id === 'string' && JOB_ID.test(id);
}

/** True for a string shaped like a lease token; other strings can hold no claim. */
export function isLeaseToken(token: unknown): token is string {
  return typeof token === 'string' && LEASE_TOKEN.test(token);
}

/** A checked new job: the request as JSON text, ready for any backend. */
export interface JobInsert {
  kind: string;
  request: string;
  webhookUrl: string | undefined;
}

/** Refuses input no backend could store and return exactly, with a clear 400. */
export function checkCreateJob(owner: string, input: CreateJobInput): JobInsert {
  requireText(owner, 'owner');
  if (typeof input !== 'object' || input === null) {
    throw new RampartError('RAMPART_INVALID_REQUEST', 'A job needs a kind and a request.');
  }
  requireText(input.kind, 'kind');
  checkWebhookUrl(input.webhookUrl);
  return {
    kind: input.kind,
    request: toJsonText(input.request, 'The job request'),
    webhookUrl: input.webhookUrl,
  };
}

function checkWebhookUrl(url: unknown): void {
  if (url === undefined) return;
  requireText(url, 'webhookUrl');
  let protocol = '';
  try {
    protocol = new URL(url as string).protocol;
  } catch {
    protocol = '';
  }
  if ((protocol === 'http:' || protocol === 'https:') && !CONTROL_CHARACTER.test(url as string)) {
    return;
  }
  throw new RampartError('RAMPART_INVALID_REQUEST', 'webhookUrl must be an http or https URL.', {
    param: 'webhookUrl',
  });
}

/**
 * JSON text of a request or result. JSON escapes NUL and lone surrogates, so the text reads
 * back as the same value; anything JSON cannot hold (undefined, BigInt, a cycle) is refused.
 */
export function toJsonText(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RampartError('RAMPART_INVALID_REQUEST', `${what} is not JSON: ${reason}`, {
      cause: error,
    });
  }
  if (text === undefined) {
    throw new RampartError('RAMPART_INVALID_REQUEST', `${what} is not JSON.`);
  }
  return text;
}

/** Refuses a job error that is not a code and a message. */
export function checkJobError(error: { code: string; message: string }): string {
  if (
    typeof error !== 'object' ||
    error === null ||
    typeof error.code !== 'string' ||
    typeof error.message !== 'string'
  ) {
    throw new RampartError('RAMPART_INVALID_REQUEST', 'A job error needs a code and a message.');
  }
  return JSON.stringify({ code: error.code, message: error.message });
}

/** The stored error text as the record's `error`. */
export function parseJobError(text: string): JobRecord['error'] {
  const { code, message } = JSON.parse(text) as { code: string; message: string };
  return { code, message };
}

/** A lease length: a positive whole number of milliseconds. */
export function checkLeaseMs(value: number, field = 'leaseMs'): void {
  if (Number.isSafeInteger(value) && value > 0) return;
  throw new RampartError('RAMPART_INVALID_REQUEST', `${field} must be a positive integer.`);
}

/** A delay: zero or a positive whole number of milliseconds. */
export function checkDelayMs(value: number, field: string): void {
  if (Number.isSafeInteger(value) && value >= 0) return;
  throw new RampartError('RAMPART_INVALID_REQUEST', `${field} must be a non-negative integer.`);
}

/** The outcome of a webhook attempt, checked before anything is written. */
export type WebhookOutcome =
  { status: 'delivered' | 'failed' } | { status: 'pending'; retryInMs: number };

export function checkWebhookOutcome(outcome: WebhookOutcome): void {
  const status = (outcome as { status?: unknown } | null)?.status;
  if (status === 'delivered' || status === 'failed') return;
  if (status === 'pending') {
    checkDelayMs((outcome as { retryInMs: number }).retryInMs, 'retryInMs');
    return;
  }
  throw new RampartError(
    'RAMPART_INVALID_REQUEST',
    "A webhook outcome's status must be delivered, pending or failed.",
  );
}
