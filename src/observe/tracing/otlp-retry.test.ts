import type { ExportResponse } from '@opentelemetry/otlp-exporter-base';
import { describe, expect, it } from 'vitest';
import { RETRY, RetryingTransport } from './otlp-retry.js';

const PAYLOAD = new Uint8Array([10, 3, 1, 2, 3]);

/** A transport that answers from a script, one answer per call, and notes each call's timeout. */
function scripted(answers: ExportResponse[]) {
  const timeouts: number[] = [];
  return {
    timeouts,
    send(_data: Uint8Array, timeoutMillis: number) {
      timeouts.push(timeoutMillis);
      return Promise.resolve(answers.shift() ?? { status: 'success' as const });
    },
    shutdown() {},
  };
}

describe('RetryingTransport', () => {
  it('retries a retryable answer after the wait the collector asked for', async () => {
    const inner = scripted([
      { status: 'retryable', retryInMillis: 10 },
      { status: 'retryable', retryInMillis: 10 },
      { status: 'success' },
    ]);
    const started = performance.now();
    const result = await new RetryingTransport(inner).send(PAYLOAD, 5_000);
    expect(result.status).toBe('success');
    expect(inner.timeouts).toHaveLength(3);
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * RETRY.leastMs - 10);
    // Each retry gets what is left of the one deadline, not a fresh timeout.
    expect(inner.timeouts[1]!).toBeLessThanOrEqual(5_000);
    expect(inner.timeouts[2]!).toBeLessThan(inner.timeouts[1]!);
  });

  it('does not retry a failure', async () => {
    const inner = scripted([{ status: 'failure', error: new Error('400') }]);
    expect((await new RetryingTransport(inner).send(PAYLOAD, 5_000)).status).toBe('failure');
    expect(inner.timeouts).toHaveLength(1);
  });

  it('stops when the next wait would pass the deadline, with a failure that says why', async () => {
    // No Retry-After: the first backoff is about a second, more than the 300 ms deadline.
    const inner = scripted([
      { status: 'retryable', error: new Error('HTTP 503') },
      { status: 'success' },
    ]);
    const started = performance.now();
    const result = await new RetryingTransport(inner, () => 0.5).send(PAYLOAD, 300);
    expect(result.status).toBe('failure');
    expect((result as { error: Error }).error.message).toBe(
      'HTTP 503, given up after one try within the timeout',
    );
    expect(inner.timeouts).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('tries at most five more times, and waits at least a quarter second however asked', async () => {
    const answers = Array.from({ length: 10 }, () => ({
      status: 'retryable' as const,
      error: new Error('HTTP 429'),
      retryInMillis: 0,
    }));
    const inner = scripted(answers);
    const started = performance.now();
    const result = await new RetryingTransport(inner).send(PAYLOAD, 5_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(5 * RETRY.leastMs - 10);
    expect(result.status).toBe('failure');
    expect((result as { error: Error }).error.message).toBe(
      'HTTP 429, given up after 6 tries within the timeout, asked to wait 0 ms',
    );
    expect(inner.timeouts).toHaveLength(6);
  });
});
