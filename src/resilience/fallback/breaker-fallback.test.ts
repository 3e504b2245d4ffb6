import { describe, expect, it } from 'vitest';
import { collectResponse, createLogger, RampartError, type ModelEvent } from '../../core/index.js';
import type { Provider } from '../../providers/index.js';
import { MemoryBreakerStore, type BreakerPolicy } from '../../store/index.js';
import { BreakerGuard, type BreakerChange } from './breaker-guard.js';
import { callWithFallback, type AttemptFact, type FallbackPolicy } from './fallback-call.js';

const POLICY: FallbackPolicy = {
  retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 0 },
  deadlineMs: 10_000,
  continueOnFailure: false,
  fallbackOnStatus: new Set(),
};
const BREAKER: BreakerPolicy = {
  windowMs: 10_000,
  minRequests: 4,
  failureRate: 0.5,
  openMs: 30_000,
  probeLeaseMs: 5_000,
};

/** A provider whose health the test switches; it counts the calls that reached it. */
function switchable(name: string) {
  const state = { healthy: true, rejects: false, cancelled: false, calls: 0 };
  const provider: Provider = {
    name,
    kind: 'openai',
    simulated: false,
    async *stream(): AsyncGenerator<ModelEvent> {
      state.calls++;
      await Promise.resolve();
      if (state.cancelled) {
        const error = new RampartError('RAMPART_CLIENT_CLOSED', 'the client left');
        yield { type: 'error', error, beforeContent: true };
        return;
      }
      if (state.rejects) {
        const error = new RampartError('RAMPART_UPSTREAM_REJECTED', 'HTTP 400', {
          upstreamStatus: 400,
        });
        yield { type: 'error', error, beforeContent: true };
        return;
      }
      if (!state.healthy) {
        const error = new RampartError('RAMPART_UPSTREAM_UNAVAILABLE', 'HTTP 503', {
          upstreamStatus: 503,
        });
        yield { type: 'error', error, beforeContent: true };
        return;
      }
      yield { type: 'text-delta', text: `from ${name}` };
      yield { type: 'finish', reason: 'stop' };
    },
    close: async () => undefined,
  };
  return { provider, state };
}

function setup() {
  let now = Date.UTC(2026, 11, 4);
  const store = new MemoryBreakerStore({ now: () => now });
  const changes: BreakerChange[] = [];
  const guard = new BreakerGuard(store, BREAKER, createLogger({ level: 'silent' }), (change) =>
    changes.push(change),
  );
  const a = switchable('a');
  const b = switchable('b');
  const targets = [
    { provider: a.provider, model: 'm', id: 'a/m' },
    { provider: b.provider, model: 'm', id: 'b/m' },
  ];
  async function ask() {
    const attempts: AttemptFact[] = [];
    const generator = callWithFallback({
      targets,
      request: { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
      policy: POLICY,
      breakers: guard,
      signal: new AbortController().signal,
      admit: async () => async () => undefined,
      onAttempt: (fact) => attempts.push(fact),
      routeName: 'chain',
    });
    const response = await collectResponse(generator);
    return { response, attempts };
  }
  return { a, b, ask, changes, advance: (ms: number) => (now += ms), guard };
}

describe('circuit breakers in the fallback chain', () => {
  it('opens after the failure rate, skips the target with no upstream attempt, probes, closes', async () => {
    const { a, ask, changes, advance } = setup();
    a.state.healthy = false;
    for (let index = 0; index < 4; index++) {
      const { response } = await ask();
      expect(response.text).toBe('from b');
    }
    expect(a.state.calls).toBe(4);
    expect(changes).toEqual([{ target: 'a/m', state: 'open' }]);

    // Open: a is skipped at once, b answers, a sees nothing.
    const skipped = await ask();
    expect(skipped.response.text).toBe('from b');
    expect(skipped.attempts.map((fact) => [fact.target, fact.outcome])).toEqual([
      ['a/m', 'skipped'],
      ['b/m', 'ok'],
    ]);
    expect(a.state.calls).toBe(4);

    // Still open just before openMs; half-open after it: one probe, which fails and reopens.
    advance(29_999);
    await ask();
    expect(a.state.calls).toBe(4);
    advance(1);
    await ask();
    expect(a.state.calls).toBe(5);
    expect(changes.at(-1)).toEqual({ target: 'a/m', state: 'open' });
    await ask();
    expect(a.state.calls).toBe(5);

    // The provider recovers: the next probe succeeds and closes the breaker.
    a.state.healthy = true;
    advance(30_000);
    const probe = await ask();
    expect(probe.response.text).toBe('from a');
    expect(changes.at(-1)).toEqual({ target: 'a/m', state: 'closed' });
    const after = await ask();
    expect(after.response.text).toBe('from a');
    expect(a.state.calls).toBe(7);
  });

  it('stays closed while failures are below the rate', async () => {
    const { a, ask, changes } = setup();
    for (let index = 0; index < 8; index++) {
      a.state.healthy = index % 4 !== 0;
      await ask();
    }
    expect(changes).toEqual([]);
    expect(a.state.calls).toBe(8);
  });

  it('lets one probe through when many calls arrive as the breaker half-opens', async () => {
    const { a, ask, advance } = setup();
    a.state.healthy = false;
    for (let index = 0; index < 4; index++) await ask();
    advance(30_000);
    a.state.healthy = true;
    const results = await Promise.all(Array.from({ length: 10 }, () => ask()));
    expect(a.state.calls).toBe(5);
    expect(results.filter((result) => result.response.text === 'from a')).toHaveLength(1);
    expect(results.filter((result) => result.response.text === 'from b')).toHaveLength(9);
  });

  it('reports the route down with Retry-After when every breaker is open', async () => {
    const { a, b, ask } = setup();
    a.state.healthy = false;
    b.state.healthy = false;
    for (let index = 0; index < 4; index++) await ask();
    const calls = a.state.calls + b.state.calls;
    const { response } = await ask();
    expect(a.state.calls + b.state.calls).toBe(calls);
    expect(response.error?.code).toBe('RAMPART_PROVIDERS_UNAVAILABLE');
    expect(response.error?.retryAfterSeconds).toBe(30);
    expect(response.error?.message).toContain('a/m: circuit open');
  });

  it('takes a rejected request as no sign of health: the probe turn passes to the next call', async () => {
    const { a, ask, changes, advance } = setup();
    a.state.healthy = false;
    for (let index = 0; index < 4; index++) await ask();
    advance(30_000);
    // The probe's request is rejected (400): the target validates, but may still not generate.
    a.state.rejects = true;
    const rejected = await ask();
    expect(rejected.response.error?.code).toBe('RAMPART_UPSTREAM_REJECTED');
    expect(changes.at(-1)).toEqual({ target: 'a/m', state: 'half-open' });
    a.state.rejects = false;
    const failed = await ask();
    expect(failed.response.text).toBe('from b');
    expect(changes.at(-1)).toEqual({ target: 'a/m', state: 'open' });
  });

  it('frees the half-open turn at once when the client cancels the probe', async () => {
    const { a, ask, guard, advance, changes } = setup();
    a.state.healthy = false;
    for (let index = 0; index < 4; index++) await ask();
    advance(30_000);
    a.state.cancelled = true;
    const cancelled = await ask();
    expect(cancelled.response.error?.code).toBe('RAMPART_CLIENT_CLOSED');
    expect(a.state.calls).toBe(5);
    expect(changes.at(-1)).toEqual({ target: 'a/m', state: 'half-open' });
    // No wait for the probe lease: the next caller probes, and the recovered target closes.
    a.state.cancelled = false;
    a.state.healthy = true;
    const next = await ask();
    expect(next.response.text).toBe('from a');
    expect(changes.at(-1)).toEqual({ target: 'a/m', state: 'closed' });
    expect(await guard.admit('a/m')).toMatchObject({ allowed: true, state: 'closed' });
  });

  it('frees the half-open turn when our own limits refuse the probe', async () => {
    const { a, guard, advance } = setup();
    for (let index = 0; index < 4; index++) await guard.record('a/m', 'failure', false);
    advance(30_000);
    const generator = callWithFallback({
      targets: [{ provider: a.provider, model: 'm', id: 'a/m' }],
      request: { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
      policy: POLICY,
      breakers: guard,
      signal: new AbortController().signal,
      admit: async () => {
        throw new RampartError('RAMPART_RATE_LIMITED', 'the line was too long');
      },
      onAttempt: () => undefined,
      routeName: 'chain',
    });
    const response = await collectResponse(generator);
    expect(response.error?.code).toBe('RAMPART_RATE_LIMITED');
    expect(a.state.calls).toBe(0);
    expect(await guard.admit('a/m')).toMatchObject({ allowed: true, probe: true });
  });
});
