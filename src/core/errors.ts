/**
 * Every error Rampart reports has a stable code from this table. The table decides the HTTP status,
 * the OpenAI error `type`, and whether retrying the same request can help. `docs/errors.md` lists
 * the same codes; a test keeps the two in step.
 */
export const ERROR_CODES = {
  RAMPART_INVALID_JSON: { status: 400, type: 'invalid_request_error', retryable: false },
  RAMPART_INVALID_REQUEST: { status: 400, type: 'invalid_request_error', retryable: false },
  RAMPART_UNAUTHORIZED: { status: 401, type: 'authentication_error', retryable: false },
  RAMPART_FORBIDDEN: { status: 403, type: 'permission_error', retryable: false },
  RAMPART_NOT_FOUND: { status: 404, type: 'not_found_error', retryable: false },
  RAMPART_UNKNOWN_MODEL: { status: 404, type: 'invalid_request_error', retryable: false },
  RAMPART_SESSION_NOT_FOUND: { status: 404, type: 'not_found_error', retryable: false },
  // 402, not 429: the window will not reopen in seconds, and SDKs retry 429 on their own.
  RAMPART_BUDGET_EXHAUSTED: { status: 402, type: 'budget_exceeded_error', retryable: false },
  RAMPART_METHOD_NOT_ALLOWED: { status: 405, type: 'invalid_request_error', retryable: false },
  RAMPART_SESSION_BUSY: { status: 409, type: 'conflict_error', retryable: true },
  RAMPART_BODY_TOO_LARGE: { status: 413, type: 'invalid_request_error', retryable: false },
  RAMPART_UNSUPPORTED_MEDIA_TYPE: { status: 415, type: 'invalid_request_error', retryable: false },
  RAMPART_RATE_LIMITED: { status: 429, type: 'rate_limit_error', retryable: true },
  RAMPART_CLIENT_CLOSED: { status: 499, type: 'invalid_request_error', retryable: false },
  RAMPART_INTERNAL: { status: 500, type: 'server_error', retryable: false },
  RAMPART_UPSTREAM_ERROR: { status: 502, type: 'server_error', retryable: true },
  RAMPART_UPSTREAM_BAD_RESPONSE: { status: 502, type: 'server_error', retryable: true },
  RAMPART_UPSTREAM_STREAM_TRUNCATED: { status: 502, type: 'server_error', retryable: true },
  RAMPART_UPSTREAM_REJECTED: { status: 502, type: 'server_error', retryable: false },
  RAMPART_UPSTREAM_INVALID_REQUEST: {
    status: 400,
    type: 'invalid_request_error',
    retryable: false,
  },
  RAMPART_UPSTREAM_RATE_LIMITED: { status: 429, type: 'rate_limit_error', retryable: true },
  RAMPART_UPSTREAM_UNAVAILABLE: { status: 503, type: 'server_error', retryable: true },
  RAMPART_UPSTREAM_TIMEOUT: { status: 504, type: 'timeout_error', retryable: true },
  RAMPART_PROVIDERS_UNAVAILABLE: { status: 503, type: 'server_error', retryable: true },
  RAMPART_SHUTTING_DOWN: { status: 503, type: 'server_error', retryable: true },
  RAMPART_STATE_UNAVAILABLE: { status: 503, type: 'server_error', retryable: true },
  RAMPART_TOOL_NOT_FOUND: { status: 400, type: 'tool_error', retryable: false },
  RAMPART_TOOL_INVALID_ARGUMENTS: { status: 400, type: 'tool_error', retryable: false },
  RAMPART_TOOL_TIMEOUT: { status: 504, type: 'tool_error', retryable: true },
  RAMPART_TOOL_FAILED: { status: 502, type: 'tool_error', retryable: true },
  RAMPART_TOOL_LOOP_LIMIT: { status: 500, type: 'tool_error', retryable: false },
  RAMPART_TOOL_DENIED: { status: 403, type: 'tool_error', retryable: false },
  RAMPART_TOOL_CONFIRMATION_REQUIRED: { status: 409, type: 'tool_error', retryable: false },
  RAMPART_TOOL_DECLINED: { status: 403, type: 'tool_error', retryable: false },
  RAMPART_TOOL_INTERRUPTED: { status: 500, type: 'tool_error', retryable: false },
  RAMPART_NO_PENDING_TOOL_CALLS: { status: 409, type: 'conflict_error', retryable: false },
  RAMPART_CONTEXT_TOO_LARGE: { status: 400, type: 'invalid_request_error', retryable: false },
  RAMPART_INPUT_REJECTED: { status: 400, type: 'invalid_request_error', retryable: false },
  RAMPART_OUTPUT_WITHHELD: { status: 400, type: 'invalid_request_error', retryable: false },
  RAMPART_CONFIG_INVALID: { status: 500, type: 'server_error', retryable: false },
} as const satisfies Record<string, { status: number; type: string; retryable: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface RampartErrorOptions {
  /** The request field the error is about, as OpenAI's `param`. */
  param?: string;
  cause?: unknown;
  /** Overrides the table's status, e.g. to pass an upstream 4xx through unchanged. */
  status?: number;
  /** Overrides the table's retryable flag. */
  retryable?: boolean;
  /** Seconds the client should wait before retrying, sent as `Retry-After`. */
  retryAfterSeconds?: number;
  /** The upstream's HTTP status, when the error came from a provider. */
  upstreamStatus?: number;
  /** Response headers that describe the refusal, such as the rate-limit readings. */
  headers?: Readonly<Record<string, string>>;
  /**
   * The provider's own words about the failure, kept out of `message`: they may echo the
   * request (the system prompt, secrets in it), so they reach a client only through the output
   * guard (see `answer-filter.ts`) and are never logged.
   */
  upstreamText?: string;
}

/** The one error class of Rampart: a stable code, an HTTP status and a retryable flag. */
export class RampartError extends Error {
  override readonly name = 'RampartError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly type: string;
  readonly retryable: boolean;
  readonly param: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly upstreamStatus: number | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  /** Not enumerable: a log serialiser or `JSON.stringify` of the error leaves it out. */
  declare readonly upstreamText: string | undefined;

  constructor(code: ErrorCode, message: string, options: RampartErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const entry = ERROR_CODES[code];
    this.code = code;
    this.status = options.status ?? entry.status;
    this.type = entry.type;
    this.retryable = options.retryable ?? entry.retryable;
    this.param = options.param;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.upstreamStatus = options.upstreamStatus;
    this.headers = options.headers;
    Object.defineProperty(this, 'upstreamText', {
      value: options.upstreamText,
      enumerable: false,
    });
  }

  /** The same error with another message, the provider's words dropped (this one is the cause). */
  withMessage(message: string): RampartError {
    return new RampartError(this.code, message, { ...this.#options(), cause: this });
  }

  /** The same error with `headers` added to those it carries. */
  withHeaders(headers: Readonly<Record<string, string>>): RampartError {
    const options = { ...this.#options(), headers: { ...this.headers, ...headers } };
    if (this.upstreamText !== undefined) options.upstreamText = this.upstreamText;
    return new RampartError(this.code, this.message, { ...options, cause: this.cause });
  }

  /** The options this error was made with, but for its cause and the provider's words. */
  #options(): RampartErrorOptions {
    const { status, retryable, param, retryAfterSeconds, upstreamStatus, headers } = this;
    return {
      status,
      retryable,
      ...(param === undefined ? {} : { param }),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      ...(upstreamStatus === undefined ? {} : { upstreamStatus }),
      ...(headers === undefined ? {} : { headers }),
    };
  }

  /** The OpenAI error body: `{error: {message, type, code, param}}`. */
  toBody(): OpenAIErrorBody {
    return {
      error: { message: this.message, type: this.type, code: this.code, param: this.param ?? null },
    };
  }
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

/** Wraps anything thrown into a RampartError, keeping the original as `cause`. */
export function toRampartError(error: unknown, fallback: ErrorCode = 'RAMPART_INTERNAL') {
  if (error instanceof RampartError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RampartError(fallback, message, { cause: error });
}

export function isRampartError(error: unknown, code?: ErrorCode): error is RampartError {
  return error instanceof RampartError && (code === undefined || error.code === code);
}
