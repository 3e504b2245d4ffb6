/** Alerts as the API, webhooks and logs show them, and the webhook sender. */
export {
  /** An alert in the shape of `GET /v1/alerts`. */
  alertView,
  /** The JSON body of an `alert.opened` or `alert.resolved` webhook. */
  alertEventBody,
  type AlertEventBody,
  type AlertView,
} from './alert-view.js';
export {
  /** Sends the webhooks alert transitions owe, with retries and backoff. */
  createAlertDelivery,
  type AlertDelivery,
  type AlertDeliveryOptions,
  type AlertWebhook,
} from './alert-delivery.js';
