import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, RampartError, toRampartError } from './errors.js';
import { createLogger } from './logger.js';

const docs = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');

function documentedRows() {
  const rows = new Map<string, { status: number; retryable: boolean }>();
  for (const match of docs.matchAll(/^\| `(RAMPART_[A-Z_]+)` +\| (\d{3}) +\| (yes|no) +\|/gm)) {
    rows.set(match[1]!, { status: Number(match[2]), retryable: match[3] === 'yes' });
  }
  return rows;
}

describe('error codes', () => {
  it('are documented in docs/errors.md with the same status and retryable flag', () => {
    const rows = documentedRows();
    expect([...rows.keys()].sort()).toEqual(Object.keys(ERROR_CODES).sort());
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(rows.get(code), code).toEqual({ status: entry.status, retryable: entry.retryable });
    }
  });

  it('render in the OpenAI error shape', () => {
    const error = new RampartError('RAMPART_INVALID_REQUEST', 'messages: required', {
      param: 'messages',
    });
    expect(error.toBody()).toEqual({
      error: {
        message: 'messages: required',
        type: 'invalid_request_error',
        code: 'RAMPART_INVALID_REQUEST',
        param: 'messages',
      },
    });
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
  });

  it('let an upstream status and retry hint override the table', () => {
    const error = new RampartError('RAMPART_UPSTREAM_RATE_LIMITED', 'slow down', {
      retryAfterSeconds: 7,
      upstreamStatus: 429,
    });
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.retryable).toBe(true);
  });

  it("keep a provider's own words apart, out of the message, the body and any log line", () => {
    const words = 'Invalid request near: my system prompt';
    const error = new RampartError(
      'RAMPART_UPSTREAM_INVALID_REQUEST',
      'Upstream returned HTTP 400',
      {
        status: 400,
        upstreamStatus: 400,
        upstreamText: words,
      },
    );
    expect(error.upstreamText).toBe(words);
    expect(JSON.stringify(error.toBody())).not.toContain('system prompt');
    const lines: string[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line: string) => lines.push(line) },
    });
    logger.debug({ err: error }, 'failure detail');
    logger.warn({ error }, 'failure');
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('system prompt');
    expect(lines.join('')).toContain('Upstream returned HTTP 400');
    // Shown on purpose, with a message of its own: the words are dropped, the rest kept.
    const shown = error.withMessage('Upstream returned HTTP 400: [filtered]');
    expect([shown.code, shown.status, shown.upstreamStatus, shown.upstreamText]).toEqual([
      'RAMPART_UPSTREAM_INVALID_REQUEST',
      400,
      400,
      undefined,
    ]);
  });

  it('wrap unknown throwables without losing the cause', () => {
    const cause = new TypeError('boom');
    const wrapped = toRampartError(cause);
    expect(wrapped.code).toBe('RAMPART_INTERNAL');
    expect(wrapped.cause).toBe(cause);
    expect(toRampartError(wrapped)).toBe(wrapped);
  });
});
