import { describe, expect, it } from 'vitest';

import {
  MAX_UPSTREAM_MESSAGE_LENGTH,
  parseRetryAfter,
  retryAfterOf,
  upstreamErrorFromResponse,
  upstreamMessage,
} from './upstream-status.js';

const openAIError = (message: string) =>
  JSON.stringify({ error: { message, type: 'invalid_request_error', code: null, param: null } });

describe('upstreamErrorFromResponse', () => {
  it.each([
    [429, 'RAMPART_UPSTREAM_RATE_LIMITED'],
    [400, 'RAMPART_UPSTREAM_INVALID_REQUEST'],
    [401, 'RAMPART_UPSTREAM_REJECTED'],
    [403, 'RAMPART_UPSTREAM_REJECTED'],
    [404, 'RAMPART_UPSTREAM_REJECTED'],
    [422, 'RAMPART_UPSTREAM_INVALID_REQUEST'],
    [408, 'RAMPART_UPSTREAM_UNAVAILABLE'],
    [502, 'RAMPART_UPSTREAM_UNAVAILABLE'],
    [503, 'RAMPART_UPSTREAM_UNAVAILABLE'],
    [504, 'RAMPART_UPSTREAM_UNAVAILABLE'],
    [529, 'RAMPART_UPSTREAM_UNAVAILABLE'],
    [500, 'RAMPART_UPSTREAM_ERROR'],
    [501, 'RAMPART_UPSTREAM_ERROR'],
    [302, 'RAMPART_UPSTREAM_BAD_RESPONSE'],
  ])('maps HTTP %i to %s and keeps the status', (status, code) => {
    const error = upstreamErrorFromResponse(status, {}, '');
    expect(error.code).toBe(code);
    expect(error.upstreamStatus).toBe(status);
  });

  it('keeps the upstream message from an OpenAI error body apart from its own', () => {
    const error = upstreamErrorFromResponse(401, {}, openAIError('Incorrect API key provided'));
    expect(error.message).toBe('Upstream returned HTTP 401');
    expect(error.upstreamText).toBe('Incorrect API key provided');
    expect(error.retryable).toBe(false);
  });

  it('reads Retry-After seconds on a 429', () => {
    const error = upstreamErrorFromResponse(429, { 'retry-after': '7' }, openAIError('Slow down'));
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(429);
  });

  it('leaves retryAfterSeconds unset without the header', () => {
    expect(upstreamErrorFromResponse(429, {}, '').retryAfterSeconds).toBeUndefined();
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads delay-seconds, rounding fractions up', () => {
    expect(parseRetryAfter('20', now)).toBe(20);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.2', now)).toBe(2);
  });

  it('reads an HTTP-date relative to now', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
  });

  it('never returns a negative wait for a past date', () => {
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores unreadable values', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('falls back to retry-after-ms, and matches header names in any case', () => {
    expect(retryAfterOf({ 'retry-after-ms': '1500' }, now)).toBe(2);
    expect(retryAfterOf({ 'Retry-After': '3', 'retry-after-ms': '1500' }, now)).toBe(3);
  });
});

describe('upstreamMessage', () => {
  it('reads an Anthropic error body', () => {
    const body = JSON.stringify({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    expect(upstreamMessage(body)).toBe('Overloaded');
  });

  it('reads top-level message, detail and string error bodies', () => {
    expect(upstreamMessage('{"message":"m"}')).toBe('m');
    expect(upstreamMessage('{"detail":"d"}')).toBe('d');
    expect(upstreamMessage('{"error":"e"}')).toBe('e');
  });

  it('keeps plain text, with whitespace collapsed', () => {
    expect(upstreamMessage('<html>\n  Bad   gateway\n</html>')).toBe('<html> Bad gateway </html>');
  });

  it('bounds a huge message', () => {
    const message = upstreamMessage(openAIError('x'.repeat(10_000)));
    expect(message).toBe(`${'x'.repeat(MAX_UPSTREAM_MESSAGE_LENGTH)}…`);
  });
});
