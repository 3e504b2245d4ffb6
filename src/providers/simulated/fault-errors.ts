import { RampartError } from '../../core/index.js';
import { upstreamErrorFromResponse } from '../http/index.js';
import type { SimulatedFault } from './fault.js';

const STATUS_MESSAGES: Readonly<Record<number, string>> = {
  400: 'The simulated upstream rejected the request.',
  401: 'The simulated upstream did not accept the API key.',
  403: 'The simulated upstream refused access.',
  404: 'The simulated upstream found no such resource.',
  429: 'The simulated upstream rate limit was reached.',
  500: 'The simulated upstream had an internal error.',
  503: 'The simulated upstream is unavailable.',
  529: 'The simulated upstream is overloaded.',
};

/** The message of a simulated status fault, the same in-process and on the wire. */
export function statusFaultMessage(status: number): string {
  return STATUS_MESSAGES[status] ?? `The simulated upstream answered HTTP ${status}.`;
}

/**
 * The error the HTTP providers report for this upstream status, made by their own mapping so
 * that the in-process fault and the wire fault give the same code, status and retry hint.
 */
export function statusFaultError(status: number, retryAfterSeconds?: number): RampartError {
  const headers =
    retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) };
  return upstreamErrorFromResponse(status, headers, statusFaultMessage(status));
}

/** The error that ends an in-process stream at a mid-stream fault. */
export function midStreamFaultError(fault: SimulatedFault): RampartError {
  switch (fault.kind) {
    case 'in-band-error':
      return inBandError(fault.status);
    default:
      return new RampartError(
        'RAMPART_UPSTREAM_STREAM_TRUNCATED',
        'simulated upstream closed the stream before it finished',
      );
  }
}

/**
 * An in-band error event as the HTTP providers read it: a rate limit, an overloaded or
 * unavailable upstream, or any other upstream error. In-band errors carry no HTTP status.
 */
function inBandError(status: number): RampartError {
  const message = `simulated upstream error event mid-stream: ${statusFaultMessage(status)}`;
  if (status === 429) return new RampartError('RAMPART_UPSTREAM_RATE_LIMITED', message);
  if (status === 503 || status === 529)
    return new RampartError('RAMPART_UPSTREAM_UNAVAILABLE', message);
  return new RampartError('RAMPART_UPSTREAM_ERROR', message);
}

/** The error that ends a stream whose caller aborted. */
export function clientClosedError(): RampartError {
  return new RampartError('RAMPART_CLIENT_CLOSED', 'the caller aborted the simulated model call');
}
