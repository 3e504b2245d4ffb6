import { RampartError, type ErrorCode } from '../../core/index.js';

/** Response headers as undici or Node give them: lower-case names, sometimes repeated. */
export type HeaderMap = Readonly<Record<string, string | string[] | undefined>>;

/** The most of an upstream's error text that is kept in our message. */
export const MAX_UPSTREAM_MESSAGE_LENGTH = 500;

/**
 * The error for a non-success upstream response. The code follows the status: 429 is a rate
 * limit (with `retryAfterSeconds` from `Retry-After`); 400, 413 and 422 say the request itself
 * is wrong, and that status goes to the client as it is; other 4xx (a bad provider key, an
 * unknown model id) are a fault of the deployment, not of the client, so they are a 502; 408
 * and 502-504 mean the upstream is unavailable, other 5xx are upstream errors. The upstream's
 * own message is kept apart, bounded in size, as `upstreamText` (it may echo the request), and
 * `upstreamStatus` records the status.
 */
export function upstreamErrorFromResponse(
  status: number,
  headers: HeaderMap,
  bodyText: string,
): RampartError {
  const detail = upstreamMessage(bodyText);
  const retryAfterSeconds = retryAfterOf(headers);
  const code = codeForStatus(status);
  return new RampartError(code, `Upstream returned HTTP ${status}`, {
    upstreamStatus: status,
    ...(detail === '' ? {} : { upstreamText: detail }),
    ...(code === 'RAMPART_UPSTREAM_INVALID_REQUEST' ? { status } : {}),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

function codeForStatus(status: number): ErrorCode {
  if (status === 429) return 'RAMPART_UPSTREAM_RATE_LIMITED';
  if (UNAVAILABLE_STATUSES.has(status)) return 'RAMPART_UPSTREAM_UNAVAILABLE';
  if (CLIENT_FAULT_STATUSES.has(status)) return 'RAMPART_UPSTREAM_INVALID_REQUEST';
  if (status >= 400 && status < 500) return 'RAMPART_UPSTREAM_REJECTED';
  if (status >= 500) return 'RAMPART_UPSTREAM_ERROR';
  return 'RAMPART_UPSTREAM_BAD_RESPONSE';
}

/** Statuses that blame the request's content, which the client can fix. */
const CLIENT_FAULT_STATUSES = new Set([400, 413, 422]);

/** 529 is Anthropic's "overloaded"; the rest are the standard "try again later" statuses. */
const UNAVAILABLE_STATUSES = new Set([408, 502, 503, 504, 529]);

/**
 * Seconds to wait, from `Retry-After` (delay-seconds or an HTTP-date, RFC 9110 section 10.2.3)
 * or OpenAI's `retry-after-ms`. Undefined when absent or unreadable; never negative.
 */
export function retryAfterOf(headers: HeaderMap, now: number = Date.now()): number | undefined {
  const milliseconds = Number(headerValue(headers, 'retry-after-ms'));
  const fromMilliseconds =
    Number.isFinite(milliseconds) && milliseconds >= 0 ? Math.ceil(milliseconds / 1000) : undefined;
  return parseRetryAfter(headerValue(headers, 'retry-after'), now) ?? fromMilliseconds;
}

/** Parses one `Retry-After` value into whole seconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()) {
  const text = value?.trim() ?? '';
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text));

  // Every HTTP-date form names a month; without one, Date.parse would read "-5" as a year.
  const date = /[a-z]{3}/i.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** Reads one header whatever the case of its name; repeated values are joined. */
export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

/**
 * The human-readable message inside an error body: `error.message` (OpenAI, Anthropic), a
 * top-level `message` or `detail`, an `error` string, or else the text itself. Bounded in size.
 */
export function upstreamMessage(bodyText: string): string {
  const text = bodyText.trim();
  return bound(messageFromJson(text) ?? text);
}

function messageFromJson(text: string): string | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const nested = body.error as Record<string, unknown> | string | undefined | null;
    const candidates = [
      typeof nested === 'object' && nested !== null ? nested.message : nested,
      body.message,
      body.detail,
    ];
    return candidates.find((candidate): candidate is string => typeof candidate === 'string');
  } catch {
    return undefined;
  }
}

function bound(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  if (flat.length <= MAX_UPSTREAM_MESSAGE_LENGTH) return flat;
  return `${flat.slice(0, MAX_UPSTREAM_MESSAGE_LENGTH)}…`;
}
