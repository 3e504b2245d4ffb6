/**
 * Deferred work: what runs the jobs accepted while no provider could answer, and the webhooks
 * that tell clients their job finished.
 */
export {
  /** POSTs one signed JSON webhook; every outcome, failures included, is a value. */
  sendWebhook,
  /** The `rampart-signature` header value for a body, for receivers and tests. */
  signWebhookBody,
  type SendWebhookOptions,
  type WebhookSendResult,
} from './webhook.js';
export {
  /** Starts the loop that delivers finished jobs' webhooks with retries and backoff. */
  startWebhookDelivery,
  type WebhookDelivery,
  type WebhookDeliveryOptions,
} from './webhook-delivery.js';
