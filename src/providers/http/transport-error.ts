import { RampartError } from '../../core/index.js';

/** Which part of the exchange failed: before the response headers, or while reading the body. */
export type TransportPhase = 'request' | 'body';

export interface MapTransportErrorOptions {
  phase: TransportPhase;
  /** The caller's signal: when it has fired, the failure is the caller's cancellation. */
  signal?: AbortSignal;
}

/**
 * Turns a network failure thrown by undici (or Node's socket layer) into a RampartError. The
 * message names the failure kind only; the original error, which may hold internal addresses,
 * stays in `cause` for the logs.
 */
export function mapTransportError(
  error: unknown,
  options: MapTransportErrorOptions = { phase: 'request' },
): RampartError {
  if (options.signal?.aborted === true) {
    return new RampartError('RAMPART_CLIENT_CLOSED', 'The upstream call was cancelled', {
      cause: error,
    });
  }
  if (error instanceof RampartError) return error;

  const code = errorCode(error);
  const known = TIMEOUTS[code] ?? (options.phase === 'body' ? bodyFailure(code) : undefined);
  if (known) return new RampartError(known[0], known[1], { cause: error });
  if (CONNECT_FAILURES.has(code)) {
    return new RampartError('RAMPART_UPSTREAM_UNAVAILABLE', `Upstream is unreachable (${code})`, {
      cause: error,
    });
  }
  if (code.startsWith('HPE_')) {
    return new RampartError(
      'RAMPART_UPSTREAM_BAD_RESPONSE',
      `Upstream sent malformed HTTP (${code})`,
      {
        cause: error,
      },
    );
  }
  const label = code === '' ? 'unknown error' : code;
  return new RampartError('RAMPART_UPSTREAM_ERROR', `Upstream call failed (${label})`, {
    cause: error,
  });
}

type Mapping = readonly [RampartError['code'], string];

const TIMEOUTS: Record<string, Mapping> = {
  UND_ERR_HEADERS_TIMEOUT: [
    'RAMPART_UPSTREAM_TIMEOUT',
    'Upstream sent no response headers within the first-byte timeout',
  ],
  UND_ERR_BODY_TIMEOUT: [
    'RAMPART_UPSTREAM_TIMEOUT',
    'Upstream sent nothing for longer than the idle timeout',
  ],
  UND_ERR_CONNECT_TIMEOUT: [
    'RAMPART_UPSTREAM_UNAVAILABLE',
    'Could not connect to upstream within the connect timeout',
  ],
};

/** Once the body has begun, a dropped connection means the answer is cut short. */
function bodyFailure(code: string): Mapping | undefined {
  if (!BODY_CUTS.has(code)) return undefined;
  return [
    'RAMPART_UPSTREAM_STREAM_TRUNCATED',
    `Upstream closed the connection mid-response (${code})`,
  ];
}

const BODY_CUTS = new Set([
  'UND_ERR_SOCKET',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_ABORTED',
  'UND_ERR_DESTROYED',
  'UND_ERR_CLOSED',
]);

const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

/** The error's `code`, looking into `cause` and into the first error of an AggregateError. */
function errorCode(error: unknown): string {
  for (let current = error, depth = 0; depth < 4; depth++) {
    if (typeof current !== 'object' || current === null) return '';
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === 'string') return record.code;
    const first: unknown = Array.isArray(record.errors) ? record.errors[0] : undefined;
    current = first ?? record.cause;
  }
  return '';
}
