import { describe, expect, it } from 'vitest';

import { RampartError } from '../../core/index.js';
import { mapTransportError } from './transport-error.js';

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('mapTransportError', () => {
  it.each([
    ['UND_ERR_HEADERS_TIMEOUT', 'request', 'RAMPART_UPSTREAM_TIMEOUT'],
    ['UND_ERR_BODY_TIMEOUT', 'body', 'RAMPART_UPSTREAM_TIMEOUT'],
    ['UND_ERR_CONNECT_TIMEOUT', 'request', 'RAMPART_UPSTREAM_UNAVAILABLE'],
    ['ECONNREFUSED', 'request', 'RAMPART_UPSTREAM_UNAVAILABLE'],
    ['ENOTFOUND', 'request', 'RAMPART_UPSTREAM_UNAVAILABLE'],
    ['UND_ERR_SOCKET', 'request', 'RAMPART_UPSTREAM_UNAVAILABLE'],
    ['UND_ERR_SOCKET', 'body', 'RAMPART_UPSTREAM_STREAM_TRUNCATED'],
    ['ECONNRESET', 'body', 'RAMPART_UPSTREAM_STREAM_TRUNCATED'],
    ['HPE_INVALID_CONSTANT', 'request', 'RAMPART_UPSTREAM_BAD_RESPONSE'],
    ['EWHATEVER', 'request', 'RAMPART_UPSTREAM_ERROR'],
  ] as const)('maps %s during the %s to %s', (code, phase, expected) => {
    const mapped = mapTransportError(coded(code), { phase });
    expect(mapped.code).toBe(expected);
  });

  it('keeps the original error as the cause but not its message', () => {
    const original = coded('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.7:443');
    const mapped = mapTransportError(original);
    expect(mapped.cause).toBe(original);
    expect(mapped.message).toBe('Upstream is unreachable (ECONNREFUSED)');
  });

  it('finds the code inside an AggregateError and a cause', () => {
    const aggregate = new AggregateError([coded('ECONNREFUSED')], 'all attempts failed');
    expect(mapTransportError(aggregate).code).toBe('RAMPART_UPSTREAM_UNAVAILABLE');
    const wrapped = new Error('fetch failed', { cause: coded('UND_ERR_HEADERS_TIMEOUT') });
    expect(mapTransportError(wrapped).code).toBe('RAMPART_UPSTREAM_TIMEOUT');
  });

  it('reports any failure after the signal fired as the caller cancelling', () => {
    const signal = AbortSignal.abort();
    expect(mapTransportError(coded('UND_ERR_SOCKET'), { phase: 'body', signal }).code).toBe(
      'RAMPART_CLIENT_CLOSED',
    );
  });

  it('passes a RampartError through', () => {
    const error = new RampartError('RAMPART_UPSTREAM_BAD_RESPONSE', 'bad');
    expect(mapTransportError(error)).toBe(error);
  });

  it('labels a failure without a code', () => {
    expect(mapTransportError('boom').message).toBe('Upstream call failed (unknown error)');
  });
});
