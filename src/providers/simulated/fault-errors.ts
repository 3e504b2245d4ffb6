import { RampartError, type ErrorCode } from '../../core/index.js';
import type { SimulatedFault } from './fault.js';

/**
 * The error an HTTP provider reports for an upstream status. Upstream 401/403 become
 * `RAMPART_UPSTREAM_REJECTED` (our key is bad, not the caller's); other 4xx pass their status
 * through so the caller sees its own mistake.
 */
export function statusFaultError(code: number, retryAfterSeconds?: number): RampartError {
  const errorCode = errorCodeForStatus(code);
  const passThrough = errorCode === 'RAMPART_UPSTREAM_REJECTED' && code !== 401 && code !== 403;
  return new RampartError(errorCode, `simulated upstream answered HTTP ${code}`, {
    upstreamStatus: code,
    ...(passThrough ? { status: code } : {}),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}

function errorCodeForStatus(code: number): ErrorCode {
  if (code === 429) return 'RAMPART_UPSTREAM_RATE_LIMITED';
  if (code === 408 || code === 504) return 'RAMPART_UPSTREAM_TIMEOUT';
  if (code === 503 || code === 529) return 'RAMPART_UPSTREAM_UNAVAILABLE';
  if (code >= 500) return 'RAMPART_UPSTREAM_ERROR';
  return 'RAMPART_UPSTREAM_REJECTED';
}

/** The error that ends an in-process stream at a mid-stream fault. */
export function midStreamFaultError(fault: SimulatedFault): RampartError {
  switch (fault.kind) {
    case 'malformed-chunk':
      return new RampartError(
        'RAMPART_UPSTREAM_BAD_RESPONSE',
        'simulated upstream sent a chunk that is not valid JSON',
      );
    case 'in-band-error':
      return new RampartError(
        'RAMPART_UPSTREAM_UNAVAILABLE',
        'simulated upstream reported that it is overloaded, mid-stream',
      );
    default:
      return new RampartError(
        'RAMPART_UPSTREAM_STREAM_TRUNCATED',
        'simulated upstream closed the stream before it finished',
      );
  }
}

/** The error that ends a stream whose caller aborted. */
export function clientClosedError(): RampartError {
  return new RampartError('RAMPART_CLIENT_CLOSED', 'the caller aborted the simulated model call');
}
