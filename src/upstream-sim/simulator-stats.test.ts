import { describe, expect, it } from 'vitest';
import { createRequestLog } from './request-log.js';
import { createStatsTracker } from './simulator-stats.js';

describe('createStatsTracker', () => {
  it('counts requests in flight and their peak, ending each once', () => {
    const stats = createStatsTracker();
    const endA = stats.begin('/a');
    const endB = stats.begin('/b');
    endA();
    endA();
    stats.begin('/a');
    expect(stats.snapshot()).toEqual({
      requests: 3,
      inFlight: 2,
      peakInFlight: 2,
      byPath: { '/a': 2, '/b': 1 },
    });
    endB();
    expect(stats.snapshot().inFlight).toBe(1);
  });

  it('keeps requests still in flight counted across a reset', () => {
    const stats = createStatsTracker();
    const end = stats.begin('/a');
    stats.begin('/a')();
    stats.reset();
    expect(stats.snapshot()).toEqual({ requests: 0, inFlight: 1, peakInFlight: 1, byPath: {} });
    end();
    expect(stats.snapshot().inFlight).toBe(0);
  });
});

describe('createRequestLog', () => {
  it('redacts credentials and keeps the most recent entries', () => {
    const log = createRequestLog(2);
    const headers = { authorization: 'Bearer sk-1', 'x-api-key': 'k', 'content-type': 'a/b' };
    log.record('POST', '/one', headers, { n: 1 });
    log.record('POST', '/two', headers, { n: 2 });
    log.record('POST', '/three', headers, 'raw');
    expect(log.list()).toEqual([
      {
        method: 'POST',
        path: '/two',
        headers: { ...headers, authorization: '[redacted]', 'x-api-key': '[redacted]' },
        body: { n: 2 },
      },
      {
        method: 'POST',
        path: '/three',
        headers: { ...headers, authorization: '[redacted]', 'x-api-key': '[redacted]' },
        body: 'raw',
      },
    ]);
  });
});
