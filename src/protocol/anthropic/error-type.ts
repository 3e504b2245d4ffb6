import { ERROR_CODES, RampartError, type ErrorCode } from '../../core/index.js';
import type { AnthropicErrorBody } from './wire-types.js';

const CODE_TO_ERROR_TYPE: Partial<Record<ErrorCode, string>> = {
  RAMPART_INVALID_JSON: 'invalid_request_error',
  RAMPART_INVALID_REQUEST: 'invalid_request_error',
  RAMPART_UNKNOWN_MODEL: 'not_found_error',
  RAMPART_UNAUTHORIZED: 'authentication_error',
  RAMPART_FORBIDDEN: 'permission_error',
  RAMPART_NOT_FOUND: 'not_found_error',
  RAMPART_BODY_TOO_LARGE: 'request_too_large',
  RAMPART_UPSTREAM_RATE_LIMITED: 'rate_limit_error',
  RAMPART_UPSTREAM_UNAVAILABLE: 'overloaded_error',
  RAMPART_SHUTTING_DOWN: 'overloaded_error',
  RAMPART_PROVIDERS_UNAVAILABLE: 'overloaded_error',
  RAMPART_UPSTREAM_TIMEOUT: 'timeout_error',
};

/** Anthropic's error `type` by HTTP status: https://docs.anthropic.com/en/api/errors */
const STATUS_TO_ERROR_TYPE: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

/** The error `type` Anthropic gives a status; undocumented ones by their class. */
export function anthropicErrorTypeOf(status: number): string {
  return STATUS_TO_ERROR_TYPE[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/**
 * The Anthropic error `type` for one of our codes: by code where one has a closer match, else
 * by the status (an upstream's passed through, or the code's own).
 */
export function toAnthropicErrorType(code: ErrorCode, options: { status?: number } = {}): string {
  return (
    CODE_TO_ERROR_TYPE[code] ?? anthropicErrorTypeOf(options.status ?? ERROR_CODES[code].status)
  );
}

/**
 * An error as Anthropic writes it, `{type: "error", error: {type, message}}`. With `withCode`,
 * our `code` and `param` go beside them, as Rampart's own `/v1/messages` answers: Anthropic's
 * SDKs ignore fields they do not know, and a client that reads the OpenAI shape finds
 * `error.message`, `error.type`, `error.code` and `error.param` as usual. Without it (the
 * upstream simulator), the body is Anthropic's exactly.
 */
export function toAnthropicErrorBody(
  error: RampartError,
  options: { withCode?: boolean } = {},
): AnthropicErrorBody {
  const { message, code, status } = error;
  const type = toAnthropicErrorType(code, { status });
  if (options.withCode !== true) return { type: 'error', error: { type, message } };
  return { type: 'error', error: { type, message, code, param: error.param ?? null } };
}

/**
 * An Anthropic error (an in-band `error` event or an error body) as a RampartError. Overload and
 * rate limits keep their own codes because callers retry or fall back on them differently.
 */
export function fromAnthropicError(type: unknown, message: unknown): RampartError {
  // The error type is Anthropic's own word; the message may echo the request (see `upstreamText`).
  const summary =
    typeof type === 'string' ? `Upstream error: ${type.slice(0, 80)}` : 'Upstream error';
  const options =
    typeof message === 'string' && message !== '' ? { upstreamText: message.slice(0, 500) } : {};
  const code: ErrorCode =
    type === 'overloaded_error'
      ? 'RAMPART_UPSTREAM_UNAVAILABLE'
      : type === 'rate_limit_error'
        ? 'RAMPART_UPSTREAM_RATE_LIMITED'
        : 'RAMPART_UPSTREAM_ERROR';
  return new RampartError(code, summary, options);
}
