import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isRampartError, type ModelEvent, type ModelRequest } from '../../core/index.js';
import { createSimulatedModel } from './simulated-model.js';

function ask(text: string): ModelRequest {
  return {
    model: 'rampart-sim-1',
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
  };
}

async function eventsOf(stream: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function lastError(events: ModelEvent[]) {
  const last = events.at(-1);
  if (last?.type !== 'error') throw new Error(`stream ended with ${last?.type}`);
  return last;
}

describe('in-process faults', () => {
  const model = createSimulatedModel({ answerTokens: 10 });

  it('turns a status fault into the error an HTTP provider would report', async () => {
    const events = await eventsOf(
      model.stream(ask('[[sim-fault kind=status code=429 retry-after=2]] hi')),
    );
    expect(events).toHaveLength(1);
    const { error, beforeContent } = lastError(events);
    expect([error.code, error.status, error.retryAfterSeconds, error.upstreamStatus]).toEqual([
      'RAMPART_UPSTREAM_RATE_LIMITED',
      429,
      2,
      429,
    ]);
    expect(beforeContent).toBe(true);
  });

  it.each([
    [400, 'RAMPART_UPSTREAM_INVALID_REQUEST', 400, false],
    [401, 'RAMPART_UPSTREAM_REJECTED', 502, false],
    [500, 'RAMPART_UPSTREAM_ERROR', 502, true],
    [503, 'RAMPART_UPSTREAM_UNAVAILABLE', 503, true],
    [529, 'RAMPART_UPSTREAM_UNAVAILABLE', 503, true],
    [504, 'RAMPART_UPSTREAM_UNAVAILABLE', 503, true],
  ])('maps status %i to %s', async (code, errorCode, status, retryable) => {
    const events = await eventsOf(model.stream(ask(`[[sim-fault kind=status code=${code}]]`)));
    const { error } = lastError(events);
    expect([error.code, error.status, error.retryable]).toEqual([errorCode, status, retryable]);
  });

  it.each([
    ['cut', 'RAMPART_UPSTREAM_STREAM_TRUNCATED'],
    ['in-band-error', 'RAMPART_UPSTREAM_UNAVAILABLE'],
    ['in-band-error code=429', 'RAMPART_UPSTREAM_RATE_LIMITED'],
    ['in-band-error code=500', 'RAMPART_UPSTREAM_ERROR'],
  ])('ends a %s fault after N events with %s and no finish', async (kind, code) => {
    const events = await eventsOf(model.stream(ask(`[[sim-fault kind=${kind} after=3]] hi`)));
    expect(events.slice(0, 3).map((event) => event.type)).toEqual([
      'text-delta',
      'text-delta',
      'text-delta',
    ]);
    expect(events).toHaveLength(4);
    expect(lastError(events).error.code).toBe(code);
    expect(lastError(events).beforeContent).toBe(false);
  });

  it('skips a malformed chunk as the HTTP clients do, so the answer completes', async () => {
    const clean = await eventsOf(model.stream(ask('hi')));
    const faulted = await eventsOf(model.stream(ask('[[sim-fault kind=malformed after=3]] hi')));
    expect(faulted.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    expect(faulted.filter((event) => event.type === 'text-delta')).toHaveLength(
      clean.filter((event) => event.type === 'text-delta').length,
    );
  });

  it('marks a fault before any content as beforeContent', async () => {
    const events = await eventsOf(model.stream(ask('[[sim-fault kind=cut after=0]] hi')));
    expect(events).toHaveLength(1);
    expect(lastError(events).beforeContent).toBe(true);
  });

  it('never lets a mid-stream fault past the finish', async () => {
    const events = await eventsOf(model.stream(ask('[[sim-fault kind=cut after=500]] hi')));
    expect(events.some((event) => event.type === 'finish')).toBe(false);
    expect(events.at(-2)?.type).toBe('usage');
    expect(lastError(events).error.code).toBe('RAMPART_UPSTREAM_STREAM_TRUNCATED');
  });

  it('ignores the directive when the caller passes fault null', async () => {
    const events = await eventsOf(model.stream(ask('[[sim-fault kind=cut]] hi'), { fault: null }));
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('applies configured rules by match', async () => {
    const faulty = createSimulatedModel({
      faults: [{ kind: 'status', status: 503, match: 'weather' }],
    });
    expect(lastError(await eventsOf(faulty.stream(ask('the weather?')))).error.upstreamStatus).toBe(
      503,
    );
    expect((await eventsOf(faulty.stream(ask('the news?')))).at(-1)?.type).toBe('finish');
  });

  it('draws probabilities from the seed: the same pattern each run, at about the rate', () => {
    const pattern = () => {
      const faulty = createSimulatedModel({
        seed: 3,
        faults: [{ kind: 'status', probability: 0.3 }],
      });
      const outcomes: boolean[] = [];
      for (let round = 0; round < 200; round++) {
        outcomes.push(faulty.chooseFault(ask('same question')) !== undefined);
      }
      return outcomes;
    };
    const first = pattern();
    expect(pattern()).toEqual(first);
    const failures = first.filter(Boolean).length;
    expect(failures).toBeGreaterThan(35);
    expect(failures).toBeLessThan(85);
  });

  it('refuses a bad rule as a configuration error', () => {
    const build = () => createSimulatedModel({ faults: [{ kind: 'cut-mid-stream', status: 500 }] });
    expect(build).toThrowError('faults[0]: status does not apply to cut-mid-stream');
    try {
      build();
    } catch (error) {
      expect(isRampartError(error, 'RAMPART_CONFIG_INVALID')).toBe(true);
    }
    expect(() =>
      createSimulatedModel({ faults: [{ kind: 'status', probability: 2 }] }),
    ).toThrowError('probability must be from 0 to 1');
  });
});

describe('timing and aborts', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Records when each event arrives on the fake clock. */
  function record(stream: AsyncIterable<ModelEvent>) {
    const arrivals: { type: string; at: number }[] = [];
    const done = (async () => {
      for await (const event of stream) arrivals.push({ type: event.type, at: Date.now() });
    })();
    return { arrivals, done };
  }

  it('waits firstTokenMs, then spaces tokens by the token rate', async () => {
    const model = createSimulatedModel({ firstTokenMs: 150, tokensPerSecond: 10, answerTokens: 3 });
    const start = Date.now();
    const { arrivals, done } = record(model.stream(ask('hi')));
    await vi.advanceTimersByTimeAsync(149);
    expect(arrivals).toEqual([]);
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(arrivals.map(({ type, at }) => [type, at - start])).toEqual([
      ['text-delta', 150],
      ['text-delta', 250],
      ['text-delta', 350],
      ['usage', 350],
      ['finish', 350],
    ]);
  });

  it('drips every event at the slow-drip interval', async () => {
    const model = createSimulatedModel({ answerTokens: 2 });
    const start = Date.now();
    const { arrivals, done } = record(
      model.stream(ask('[[sim-fault kind=slow-drip interval=40]] hi')),
    );
    await vi.advanceTimersByTimeAsync(500);
    await done;
    expect(arrivals.map(({ at }) => at - start)).toEqual([0, 40, 80, 120]);
  });

  it('hangs before the first event until aborted, then ends with client-closed and no timer left', async () => {
    const controller = new AbortController();
    const model = createSimulatedModel();
    const { arrivals, done } = record(
      model.stream(ask('[[sim-fault kind=hang-before-first-byte]] hi'), {
        signal: controller.signal,
      }),
    );
    await vi.advanceTimersByTimeAsync(60_000);
    expect(arrivals).toEqual([]);
    controller.abort();
    await done;
    expect(arrivals.map((arrival) => arrival.type)).toEqual(['error']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hangs mid-stream after N events until aborted', async () => {
    const controller = new AbortController();
    const model = createSimulatedModel();
    const events: ModelEvent[] = [];
    const done = (async () => {
      const request = ask('[[sim-fault kind=hang-mid-stream after=2]] hi');
      for await (const event of model.stream(request, { signal: controller.signal }))
        events.push(event);
    })();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'text-delta']);
    controller.abort();
    await done;
    expect(lastError(events).error.code).toBe('RAMPART_CLIENT_CLOSED');
    expect(lastError(events).beforeContent).toBe(false);
  });

  it('stops at once on abort mid-stream and clears its timer', async () => {
    const controller = new AbortController();
    const model = createSimulatedModel({ tokensPerSecond: 1, answerTokens: 10 });
    const events: ModelEvent[] = [];
    const done = (async () => {
      for await (const event of model.stream(ask('hi'), { signal: controller.signal }))
        events.push(event);
    })();
    await vi.advanceTimersByTimeAsync(2500);
    expect(vi.getTimerCount()).toBe(1);
    controller.abort();
    await done;
    expect(events.map((event) => event.type)).toEqual([
      'text-delta',
      'text-delta',
      'text-delta',
      'error',
    ]);
    expect(lastError(events).error.code).toBe('RAMPART_CLIENT_CLOSED');
    expect(vi.getTimerCount()).toBe(0);
  });
});
