import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { RampartError, type ErrorCode } from '../core/errors.js';
import { toAnthropicErrorBody } from '../protocol/anthropic/index.js';

/** Fastify's own error codes that are the client's fault, and what we call them. */
const FRAMEWORK_ERRORS: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'RAMPART_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'RAMPART_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'RAMPART_INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'RAMPART_INVALID_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'RAMPART_INVALID_JSON',
};

/** What a request is allowed, for the messages that name a limit. */
export interface RequestLimits {
  bodyLimitBytes?: number;
}

/** A size as an operator would write it in the config: `16 MiB`, `64 KiB`, `1000 bytes`. */
function sizeOf(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

function frameworkMessage(code: ErrorCode, error: FastifyError, limits: RequestLimits): string {
  switch (code) {
    case 'RAMPART_BODY_TOO_LARGE':
      return limits.bodyLimitBytes === undefined
        ? 'The request body is larger than this server accepts.'
        : `The request body is larger than this server accepts (${sizeOf(limits.bodyLimitBytes)}; ` +
            'server.bodyLimitBytes in the config sets it).';
    case 'RAMPART_UNSUPPORTED_MEDIA_TYPE':
      return 'The request body must be JSON (Content-Type: application/json).';
    case 'RAMPART_INVALID_JSON':
      return `The request body is not valid JSON: ${error.message}`;
    default:
      return error.message;
  }
}

/** Maps anything thrown in a route to a RampartError. */
export function normaliseError(error: unknown, limits: RequestLimits = {}): RampartError {
  if (error instanceof RampartError) return error;
  const fastifyError = error as Partial<FastifyError>;
  const mapped = fastifyError.code ? FRAMEWORK_ERRORS[fastifyError.code] : undefined;
  if (mapped) {
    return new RampartError(mapped, frameworkMessage(mapped, fastifyError as FastifyError, limits));
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new RampartError(
      'RAMPART_INVALID_JSON',
      `The request body is not valid JSON: ${error.message}`,
    );
  }
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new RampartError('RAMPART_INVALID_REQUEST', fastifyError.message ?? 'Bad request', {
      status,
    });
  }
  return new RampartError(
    'RAMPART_INTERNAL',
    'The server had an error while processing the request.',
    { cause: error },
  );
}

/** One error response, as the request-error counter sees it. */
export interface ErrorResponse {
  /** The route's template (`/v1/sessions/:id/messages`); undefined when no route has the path. */
  route: string | undefined;
  code: ErrorCode;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Told of every error response `sendError` writes, those before any turn (a bad key, a
     * malformed body, an unknown path) included. Set by `buildServer`.
     */
    onErrorResponse?: (response: ErrorResponse) => void;
  }
  interface FastifyContextConfig {
    /**
     * The error body a route's clients expect: the OpenAI shape unless it says `anthropic`
     * (`/v1/messages`, whose Anthropic SDK clients read Anthropic's). Read for every failure of
     * the route, those before its handler (a bad key, a malformed body) included.
     */
    errorShape?: 'openai' | 'anthropic';
  }
}

/** Paths whose clients are Anthropic's, for a request that matched no route (404, 405). */
const ANTHROPIC_PATH = /^\/v1\/messages(?:[/?]|$)/;

/** The error shape a request's clients expect: its route's, or by its path when none matched. */
export function errorShapeOf(request: FastifyRequest): 'openai' | 'anthropic' {
  const shape = request.routeOptions.config?.errorShape;
  if (shape !== undefined) return shape;
  return ANTHROPIC_PATH.test(request.url) ? 'anthropic' : 'openai';
}

/**
 * Sends an error in the shape its route's clients expect (the OpenAI error shape, or Anthropic's
 * with the same fields inside), with `Retry-After` and the headers the error carries.
 */
export async function sendError(
  reply: FastifyReply,
  error: RampartError,
  route: string | undefined = reply.request.routeOptions.url,
): Promise<void> {
  reply.server.onErrorResponse?.({ route, code: error.code });
  if (error.headers !== undefined) reply.headers(error.headers);
  if (error.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(error.retryAfterSeconds));
  const anthropic = errorShapeOf(reply.request) === 'anthropic';
  const body = anthropic ? toAnthropicErrorBody(error, { withCode: true }) : error.toBody();
  await reply.code(error.status).type('application/json').send(body);
}

/** 5xx outcomes that are conditions of the deployment, not bugs: logged without a stack. */
const EXPECTED_UNAVAILABILITY = new Set<ErrorCode>([
  'RAMPART_SHUTTING_DOWN',
  'RAMPART_STATE_UNAVAILABLE',
]);

function logLevel(error: RampartError): 'error' | 'warn' | 'info' {
  if (error.status < 500) return 'info';
  if (EXPECTED_UNAVAILABILITY.has(error.code) || error.code.startsWith('RAMPART_UPSTREAM_')) {
    return 'warn';
  }
  return 'error';
}

/**
 * The single error handler: every failure leaves as JSON in its route's error shape. `route`
 * names the route template when the request matched none by method (a 405) but one has its path.
 */
export async function handleError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  route?: string,
) {
  const rampartError = normaliseError(error, { bodyLimitBytes: request.routeOptions.bodyLimit });
  const level = logLevel(rampartError);
  const err = level === 'error' ? error : undefined;
  request.log[level](
    { err, code: rampartError.code, status: rampartError.status },
    'request failed',
  );
  if (reply.sent) return;
  await sendError(reply, rampartError, route);
}
