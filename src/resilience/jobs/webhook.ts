import { createHmac } from 'node:crypto';
import type { Readable } from 'node:stream';
import { request } from 'undici';
import { splitCredentials } from '../../core/url-credentials.js';

export interface SendWebhookOptions {
  /** Signs the body (`rampart-signature`) when set; unsigned otherwise. */
  secret?: string;
  /** Time allowed for the whole exchange: connecting, the answer and draining its body. */
  timeoutMs: number;
  /** Cancels the send, e.g. on shutdown. */
  signal?: AbortSignal;
  /** Sent as `rampart-job-id`, so the receiver can tell repeats of one delivery apart. */
  jobId?: string;
  /** Milliseconds since the epoch, for the signature's timestamp. Default `Date.now`. */
  now?: () => number;
  /**
   * More headers (a receiver's token, ids of what is delivered). The body's type, the user
   * agent and the signature are Rampart's own and win over these.
   */
  headers?: Readonly<Record<string, string>>;
}

/** How one delivery attempt ended. Never an exception: every failure is a value. */
export type WebhookSendResult =
  { ok: true; status: number } | { ok: false; status?: number; error: string; retryable: boolean };

/** Answers are read only this far, then dropped: the receiver's body means nothing to us. */
const MAX_DRAIN_BYTES = 64 * 1024;

const USER_AGENT = 'rampart-webhook/1';

/**
 * POSTs `body` as JSON to `url`. A 2xx answer is a delivery. 408, 429, 5xx, network failures
 * and timeouts may succeed later (`retryable`); any other answer, a redirect (never followed,
 * so a webhook cannot be bounced to another host) and a body that is not JSON will not.
 */
export async function sendWebhook(
  url: string,
  body: unknown,
  options: SendWebhookOptions,
): Promise<WebhookSendResult> {
  const target = checkUrl(url, options.headers);
  if ('ok' in target) return target;
  const text = serialise(body);
  if (typeof text !== 'string') return text;

  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), options.timeoutMs);
  const signals = options.signal ? [options.signal, deadline.signal] : [deadline.signal];
  try {
    const response = await request(target.url, {
      method: 'POST',
      headers: { ...target.headers, ...webhookHeaders(text, options) },
      body: text,
      signal: AbortSignal.any(signals),
    });
    await drain(response.body);
    return classify(response.statusCode);
  } catch (error) {
    return networkFailure(error, deadline.signal.aborted, options);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The `rampart-signature` value: `t=<unix seconds>, v1=<hex HMAC-SHA256 of "<t>.<body>">`.
 * The timestamp is signed with the body so a receiver can refuse an old delivery replayed.
 */
export function signWebhookBody(secret: string, body: string, unixSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds}, v1=${digest}`;
}

function webhookHeaders(text: string, options: SendWebhookOptions): Record<string, string> {
  const headers: Record<string, string> = {
    ...options.headers,
    'content-type': 'application/json',
    'user-agent': USER_AGENT,
  };
  if (options.jobId !== undefined) headers['rampart-job-id'] = options.jobId;
  if (options.secret !== undefined) {
    const seconds = Math.floor((options.now ?? Date.now)() / 1000);
    headers['rampart-signature'] = signWebhookBody(options.secret, text, seconds);
  }
  return headers;
}

/**
 * Where to send: the URL without its credentials, and those as Basic authorization (see
 * `splitCredentials`). A header named `authorization` in the webhook's own headers wins.
 */
function checkUrl(
  url: string,
  own: Readonly<Record<string, string>> = {},
): WebhookSendResult | { url: string; headers: Record<string, string> } {
  let protocol = '';
  try {
    protocol = new URL(url).protocol;
  } catch {
    return notHttp();
  }
  if (protocol !== 'http:' && protocol !== 'https:') return notHttp();
  const target = splitCredentials(url);
  const named = Object.keys(own).some((name) => name.toLowerCase() === 'authorization');
  if (target.authorization === undefined || named) return { url: target.url, headers: {} };
  return { url: target.url, headers: { authorization: target.authorization } };
}

function notHttp(): WebhookSendResult {
  return { ok: false, error: 'The webhook URL is not an http or https URL.', retryable: false };
}

function serialise(body: unknown): string | WebhookSendResult {
  try {
    const text = JSON.stringify(body) as string | undefined;
    if (text !== undefined) return text;
  } catch {
    // Reported below: the same body fails the same way on every attempt.
  }
  return { ok: false, error: 'The webhook body is not JSON.', retryable: false };
}

/**
 * Reads and discards the answer, at most `MAX_DRAIN_BYTES`, so the connection can be reused;
 * a longer (or endless) body is cut off. The status is already known, so a body that fails
 * midway changes nothing.
 */
async function drain(body: Readable): Promise<void> {
  let size = 0;
  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) break;
    }
  } catch {
    // Ignored: see above.
  } finally {
    if (!body.readableEnded) body.destroy();
  }
}

function classify(status: number): WebhookSendResult {
  if (status >= 200 && status <= 299) return { ok: true, status };
  if (status >= 300 && status <= 399) {
    return {
      ok: false,
      status,
      error: `Redirect (HTTP ${status}) not followed.`,
      retryable: false,
    };
  }
  const retryable = status === 408 || status === 429 || status >= 500;
  return { ok: false, status, error: `HTTP ${status}`, retryable };
}

function networkFailure(
  error: unknown,
  timedOut: boolean,
  options: SendWebhookOptions,
): WebhookSendResult {
  if (timedOut) {
    return { ok: false, error: `No answer within ${options.timeoutMs} ms.`, retryable: true };
  }
  if (options.signal?.aborted === true) {
    return { ok: false, error: 'The delivery was cancelled.', retryable: true };
  }
  const { message, code } = error as { message?: unknown; code?: unknown };
  const reason = typeof message === 'string' && message !== '' ? message : String(error);
  const detail = typeof code === 'string' && !reason.includes(code) ? ` (${code})` : '';
  return { ok: false, error: `${reason}${detail}`, retryable: true };
}
