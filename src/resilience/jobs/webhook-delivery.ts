import { RampartError, type Logger } from '../../core/index.js';
import { OutageLog } from '../../core/outage-log.js';
import type { JobRecord, JobStore, WebhookClaim } from '../../store/index.js';
import { sendWebhook, type WebhookSendResult } from './webhook.js';

export interface WebhookDeliveryOptions {
  jobs: JobStore;
  logger: Logger;
  /** How long the loop waits before looking again once no webhook is due. */
  pollMs: number;
  /** Attempts per webhook, the first included, before it is `failed` for good. */
  maxAttempts: number;
  /** The wait after the first failed attempt; it doubles with each further failure. */
  baseDelayMs: number;
  /** The longest wait between two attempts. */
  maxDelayMs: number;
  /** Time allowed for one attempt. */
  timeoutMs: number;
  /** Signs every body (see `sendWebhook`) when set. */
  secret?: string;
  /** The body sent for a finished job. */
  payload: (job: JobRecord) => unknown;
  /** A number in [0, 1) for the backoff's jitter. Default `Math.random`. */
  random?: () => number;
}

/** A running delivery loop. */
export interface WebhookDelivery {
  /** Ends the loop after the attempt in flight (if any) is sent and recorded. */
  stop(): Promise<void>;
  /** Looks for due webhooks now instead of at the next poll, e.g. right after a job finished. */
  kick(): void;
}

/**
 * A claim outlives the attempt by this much, so a slow store write after a slow receiver does
 * not let another instance send the same webhook while this one records it.
 */
const LEASE_MARGIN_MS = 10_000;

/**
 * Delivers the webhooks of finished jobs: claims one that is due, sends it, and records it as
 * delivered, as pending again after a jittered exponential backoff, or as failed once
 * `maxAttempts` are spent or the receiver's answer cannot change. Delivery is at least once:
 * a crash between sending and recording sends again after the claim runs out, so receivers
 * tell repeats apart by `rampart-job-id`.
 */
export function startWebhookDelivery(options: WebhookDeliveryOptions): WebhookDelivery {
  checkOptions(options);
  const claims = new OutageLog({ logger: options.logger, what: 'webhook claims' });
  let stopped = false;
  let kicked = false;
  let wake: (() => void) | undefined;

  const sleep = () =>
    new Promise<void>((resolve) => {
      if (kicked || stopped) return resolve();
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, options.pollMs);
      wake = done;
    });

  const loop = (async () => {
    while (!stopped) {
      kicked = false;
      const delivered = await deliverNext(options, claims);
      if (!delivered) await sleep();
    }
  })();

  return {
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
    kick: () => {
      kicked = true;
      wake?.();
    },
  };
}

/** Claims and sends one due webhook; `false` when none was due (or the store failed). */
async function deliverNext(options: WebhookDeliveryOptions, claims: OutageLog): Promise<boolean> {
  let claim: WebhookClaim | undefined;
  try {
    claim = await options.jobs.claimWebhook(options.timeoutMs + LEASE_MARGIN_MS);
    claims.succeeded();
  } catch (error) {
    // The store is down: every poll fails alike until it is back.
    claims.failed(error);
    return false;
  }
  if (!claim) return false;
  const result = await attempt(options, claim.job);
  await record(options, claim, result);
  return true;
}

async function attempt(
  options: WebhookDeliveryOptions,
  job: JobRecord,
): Promise<WebhookSendResult> {
  let body: unknown;
  try {
    body = options.payload(job);
  } catch (error) {
    options.logger.error({ err: error, jobId: job.id }, 'Webhook payload failed');
    return { ok: false, error: 'The webhook payload could not be built.', retryable: false };
  }
  const url = job.webhookUrl ?? '';
  const { secret, timeoutMs } = options;
  return sendWebhook(url, body, { timeoutMs, jobId: job.id, ...(secret ? { secret } : {}) });
}

async function record(
  options: WebhookDeliveryOptions,
  claim: WebhookClaim,
  result: WebhookSendResult,
) {
  const { job, token } = claim;
  const attempt = job.webhookAttempts + 1;
  const outcome = decide(options, attempt, result);
  if (!result.ok) {
    const { status, error: reason, retryable } = result;
    const context = { jobId: job.id, attempt, status, reason, retryable };
    if (outcome.status === 'failed') options.logger.warn(context, 'Webhook delivery given up');
    else
      options.logger.warn({ ...context, retryInMs: outcome.retryInMs }, 'Webhook delivery failed');
  }
  try {
    if (await options.jobs.recordWebhook(job.id, token, outcome)) return;
    options.logger.warn({ jobId: job.id, attempt }, 'Webhook claim lost before it was recorded');
  } catch (error) {
    options.logger.error({ err: error, jobId: job.id, attempt }, 'Webhook outcome not recorded');
  }
}

function decide(options: WebhookDeliveryOptions, attempt: number, result: WebhookSendResult) {
  if (result.ok) return { status: 'delivered' } as const;
  if (!result.retryable || attempt >= options.maxAttempts) return { status: 'failed' } as const;
  return { status: 'pending', retryInMs: backoff(options, attempt) } as const;
}

/** Half the exponential delay fixed, half random, so receivers that recover are not stampeded. */
function backoff(options: WebhookDeliveryOptions, attempt: number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
  const random = options.random ?? Math.random;
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function checkOptions(options: WebhookDeliveryOptions): void {
  const fields = ['pollMs', 'maxAttempts', 'baseDelayMs', 'maxDelayMs', 'timeoutMs'] as const;
  for (const field of fields) {
    const value = options[field];
    if (Number.isSafeInteger(value) && value > 0) continue;
    throw new RampartError(
      'RAMPART_CONFIG_INVALID',
      `Webhook delivery ${field} must be a positive integer, not ${String(value)}.`,
    );
  }
}
