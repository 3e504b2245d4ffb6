import { describe, expect, it } from 'vitest';
import { createRequestLog } from './request-log.js';
import { createStatsTracker } from './simulator-stats.js';

describe('createStatsTracker', () => {
  it('counts requests in flight, their peak and the cancelled ones, ending each once', () => {
    const stats = createStatsTracker();
    const endA = stats.begin('/a');
    const endB = stats.begin('/b');
    endA('cancelled');
    endA('cancelled');
    stats.begin('/a');
    expect(stats.snapshot()).toEqual({
      requests: 3,
      inFlight: 2,
      peakInFlight: 2,
      cancelled: 1,
      byPath: { '/a': 2, '/b': 1 },
    });
    endB('cut');
    expect(stats.snapshot()).toMatchObject({ inFlight: 1, cancelled: 1 });
  });

  it('keeps requests still in flight counted across a reset', () => {
    const stats = createStatsTracker();
    const end = stats.begin('/a');
    stats.begin('/a')('cancelled');
    stats.reset();
    expect(stats.snapshot()).toEqual({
      requests: 0,
      inFlight: 1,
      peakInFlight: 1,
      cancelled: 0,
      byPath: {},
    });
    end('completed');
    expect(stats.snapshot()).toMatchObject({ inFlight: 0, cancelled: 0 });
  });
});

/** A clock that moves only when told. */
function manualClock(start = 1_000) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('createRequestLog', () => {
  it('redacts credentials and keeps the most recent entries', () => {
    const clock = manualClock();
    const log = createRequestLog({ limit: 2, now: clock.now });
    const headers = { authorization: 'Bearer sk-1', 'x-api-key': 'k', 'content-type': 'a/b' };
    log.begin('POST', '/one', headers).setBody({ n: 1 });
    log.begin('POST', '/two', headers).setBody({ n: 2 });
    clock.advance(5);
    log.begin('POST', '/three', headers).setBody('raw');
    const redacted = { ...headers, authorization: '[redacted]', 'x-api-key': '[redacted]' };
    const open = { endedAt: null, outcome: 'open' };
    expect(log.list()).toEqual([
      { method: 'POST', path: '/two', headers: redacted, body: { n: 2 }, startedAt: 1000, ...open },
      { method: 'POST', path: '/three', headers: redacted, body: 'raw', startedAt: 1005, ...open },
    ]);
  });

  it('records when and how a request ended, once, without changing earlier lists', () => {
    const clock = manualClock();
    const log = createRequestLog({ now: clock.now });
    const entry = log.begin('GET', '/v1/models', {});
    const before = log.list();
    clock.advance(42);
    entry.end('cancelled');
    clock.advance(10);
    entry.end('completed');
    expect(before[0]).toMatchObject({ body: null, endedAt: null, outcome: 'open' });
    expect(log.list()[0]).toMatchObject({ startedAt: 1000, endedAt: 1042, outcome: 'cancelled' });
  });

  it('waits for requests to end, and resolves at once when they already have', async () => {
    const log = createRequestLog();
    const first = log.begin('POST', '/a', {});
    const second = log.begin('POST', '/b', {});
    const waiting = log.waitForEnded(2, 1_000);
    let settled = false;
    void waiting.then(() => (settled = true));
    first.end('completed');
    await Promise.resolve();
    expect(settled).toBe(false);
    second.end('cut');
    const ended = await waiting;
    expect(ended.map((entry) => entry.outcome)).toEqual(['completed', 'cut']);
    expect((await log.waitForEnded(1, 0)).map((entry) => entry.path)).toEqual(['/a', '/b']);
  });

  it('rejects a wait that times out, or that the log could never satisfy', async () => {
    const log = createRequestLog({ limit: 3 });
    log.begin('POST', '/a', {}).end('completed');
    log.begin('POST', '/b', {});
    await expect(log.waitForEnded(2, 20)).rejects.toThrow('1 of 2 requests had ended after 20 ms');
    await expect(log.waitForEnded(4, 1_000)).rejects.toThrow(RangeError);
  });
});
