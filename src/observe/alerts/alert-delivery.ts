import type { Logger } from '../../core/logger.js';
import { OutageLog } from '../../core/outage-log.js';
import { redactUrl } from '../../core/redact-url.js';
import { sendWebhook, type WebhookSendResult } from '../../resilience/index.js';
import type { AlertDeliveryClaim, AlertDeliveryOutcome, AlertStore } from '../../store/index.js';
import { alertEventBody } from './alert-view.js';

/** A configured receiver, its secret resolved. */
export interface AlertWebhook {
  url: string;
  headers: Readonly<Record<string, string>>;
  secret?: string;
}

export interface AlertDeliveryOptions {
  alerts: AlertStore;
  webhooks: readonly AlertWebhook[];
  logger: Logger;
  /** Attempts per delivery, the first included. */
  maxAttempts: number;
  /** Wait after the first failure; it doubles with each further one, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Time allowed for one attempt. */
  timeoutMs: number;
  /** How long the background loop waits once nothing is due. */
  pollMs: number;
  /** A number in [0, 1) for the backoff's jitter. Default `Math.random`. */
  random?: () => number;
  /** Milliseconds since the epoch, for the signature's timestamp. Default `Date.now`. */
  now?: () => number;
}

export interface AlertDelivery {
  /** Sends every delivery due now, one after another; returns how many attempts it made. */
  deliverDue(): Promise<number>;
  /** Starts the background loop (every instance runs one: claims keep them apart). */
  start(): void;
  /** Looks for due deliveries now, e.g. right after a transition. */
  kick(): void;
  /** Ends the loop after the attempt in flight is sent and recorded. */
  stop(): Promise<void>;
}

/** Most webhook requests one instance has in flight. */
const MAX_SENDERS = 8;

/** A claim outlives its attempt by this much, so a slow store write does not let a peer resend. */
const LEASE_MARGIN_MS = 10_000;

/**
 * Sends the webhooks alert transitions owe, from the alert store's outbox: claims one that is
 * due, POSTs `alert.opened` or `alert.resolved` (signed when the receiver has a secret), and
 * records it delivered, due again after a jittered exponential backoff, or given up after
 * `maxAttempts` or an answer that cannot change. At least once: a crash between sending and
 * recording sends again once the claim runs out; `rampart-delivery-id` tells repeats apart.
 */
export function createAlertDelivery(options: AlertDeliveryOptions): AlertDelivery {
  const byUrl = new Map(options.webhooks.map((webhook) => [webhook.url, webhook]));
  const claims = new OutageLog({
    logger: options.logger,
    what: 'alert webhook claims',
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  let stopped = true;
  let kicked = false;
  let wake: (() => void) | undefined;
  let loop: Promise<void> | undefined;

  /**
   * Several senders drain the outbox at once (claims keep them apart), so a receiver that hangs
   * until the timeout holds up only the deliveries it is sent, not every other receiver's.
   */
  async function deliverDue(): Promise<number> {
    const senders = Math.min(MAX_SENDERS, Math.max(1, 2 * options.webhooks.length));
    const sent = await Promise.all(Array.from({ length: senders }, drain));
    return sent.reduce((sum, count) => sum + count, 0);
  }

  async function drain(): Promise<number> {
    let attempts = 0;
    for (;;) {
      const claim = await claimNext();
      if (!claim) return attempts;
      attempts += 1;
      const result = await attempt(claim);
      await record(claim, result);
    }
  }

  async function claimNext(): Promise<AlertDeliveryClaim | undefined> {
    try {
      const claim = await options.alerts.claimDelivery(options.timeoutMs + LEASE_MARGIN_MS);
      claims.succeeded();
      return claim;
    } catch (error) {
      // The store is down: every poll fails alike until it is back.
      claims.failed(error);
      return undefined;
    }
  }

  async function attempt(claim: AlertDeliveryClaim): Promise<WebhookSendResult> {
    const { delivery } = claim;
    const webhook = byUrl.get(delivery.url);
    if (!webhook) {
      return { ok: false, error: 'The webhook is no longer configured.', retryable: false };
    }
    const headers = {
      ...webhook.headers,
      'rampart-alert-id': delivery.alert.id,
      'rampart-delivery-id': delivery.id,
    };
    const body = alertEventBody(delivery.event, delivery.alert);
    return sendWebhook(delivery.url, body, {
      timeoutMs: options.timeoutMs,
      headers,
      ...(webhook.secret === undefined ? {} : { secret: webhook.secret }),
      ...(options.now === undefined ? {} : { now: options.now }),
    });
  }

  async function record(claim: AlertDeliveryClaim, result: WebhookSendResult): Promise<void> {
    const { delivery, token } = claim;
    const attemptNumber = delivery.attempts + 1;
    const outcome = decide(attemptNumber, result);
    const context = {
      alertId: delivery.alert.id,
      deliveryId: delivery.id,
      event: delivery.event,
      // The URL as configured may hold a password (sent as Basic authorization, see sendWebhook).
      url: redactUrl(delivery.url),
      attempt: attemptNumber,
    };
    if (result.ok) options.logger.info(context, 'alert webhook delivered');
    else logFailure({ ...context, status: result.status, reason: result.error }, outcome);
    try {
      if (await options.alerts.recordDelivery(delivery.id, token, outcome)) return;
      options.logger.warn(context, 'alert webhook claim lost before it was recorded');
    } catch (error) {
      options.logger.error({ ...context, err: error }, 'alert webhook outcome not recorded');
    }
  }

  function logFailure(failure: Record<string, unknown>, outcome: AlertDeliveryOutcome): void {
    if (outcome.status === 'pending') {
      options.logger.warn({ ...failure, retryInMs: outcome.retryInMs }, 'alert webhook failed');
    } else options.logger.warn(failure, 'alert webhook given up');
  }

  function decide(attemptNumber: number, result: WebhookSendResult): AlertDeliveryOutcome {
    if (result.ok) return { status: 'delivered' };
    if (!result.retryable || attemptNumber >= options.maxAttempts) return { status: 'failed' };
    return { status: 'pending', retryInMs: backoff(attemptNumber) };
  }

  /** Half the exponential delay fixed, half random, so receivers that recover are not stampeded. */
  function backoff(attemptNumber: number): number {
    const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attemptNumber - 1));
    const random = options.random ?? Math.random;
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  }

  function sleep(): Promise<void> {
    return new Promise((resolve) => {
      if (kicked || stopped) return resolve();
      const done = () => {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, options.pollMs);
      timer.unref();
      wake = done;
    });
  }

  return {
    deliverDue,
    start() {
      if (!stopped) return;
      stopped = false;
      loop = (async () => {
        while (!stopped) {
          kicked = false;
          await deliverDue();
          await sleep();
        }
      })();
    },
    kick() {
      kicked = true;
      wake?.();
    },
    async stop() {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
