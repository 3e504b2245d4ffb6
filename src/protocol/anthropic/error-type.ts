import { RampartError, type ErrorCode } from '../../core/index.js';

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
  RAMPART_UPSTREAM_TIMEOUT: 'timeout_error',
};

/**
 * The Anthropic error `type` for one of our codes, as listed in
 * https://docs.anthropic.com/en/api/errors; anything without a closer match is `api_error`.
 */
export function toAnthropicErrorType(code: ErrorCode): string {
  return CODE_TO_ERROR_TYPE[code] ?? 'api_error';
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
