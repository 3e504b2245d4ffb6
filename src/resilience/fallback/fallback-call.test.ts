import { describe, expect, it } from 'vitest';
import {
  collectResponse,
  RampartError,
  type ModelEvent,
  type ModelRequest,
} from '../../core/index.js';
import type { Provider } from '../../providers/index.js';
import {
  callWithFallback,
  type AttemptFact,
  type FallbackCall,
  type FallbackPolicy,
  type RouteTarget,
} from './fallback-call.js';

type Script = (request: ModelRequest, signal: AbortSignal | undefined) => ModelEvent[];

/** A provider that answers each call with the next script (the last one repeats). */
function scripted(name: string, scripts: Script[]) {
  const requests: ModelRequest[] = [];
  const provider: Provider = {
    name,
    kind: 'openai',
    simulated: false,
    async *stream(request, options) {
      requests.push(request);
      const script = scripts[Math.min(requests.length - 1, scripts.length - 1)]!;
      for (const event of script(request, options?.signal)) {
        await Promise.resolve();
        yield event;
      }
    },
    close: async () => undefined,
  };
  return { provider, requests };
}

const text =
  (...parts: string[]): Script =>
  () => [
    ...parts.map((part): ModelEvent => ({ type: 'text-delta', text: part })),
    { type: 'usage', usage: { inputTokens: 10, outputTokens: parts.length } },
    { type: 'finish', reason: 'stop' },
  ];

const failure =
  (error: RampartError, ...parts: string[]): Script =>
  () => [
    ...parts.map((part): ModelEvent => ({ type: 'text-delta', text: part })),
    { type: 'error', error, beforeContent: parts.length === 0 },
  ];

const upstream = (status: number, options: { retryAfterSeconds?: number } = {}) => {
  const code =
    status === 429
      ? 'RAMPART_UPSTREAM_RATE_LIMITED'
      : status >= 500
        ? 'RAMPART_UPSTREAM_ERROR'
        : 'RAMPART_UPSTREAM_REJECTED';
  return new RampartError(code, `Upstream returned HTTP ${status}`, {
    upstreamStatus: status,
    ...options,
  });
};
const cut = () => new RampartError('RAMPART_UPSTREAM_STREAM_TRUNCATED', 'cut');

function target(provider: Provider, model = 'm'): RouteTarget {
  return { provider, model, id: `${provider.name}/${model}` };
}

const POLICY: FallbackPolicy = {
  retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1_000 },
  deadlineMs: 10_000,
  continueOnFailure: false,
  fallbackOnStatus: new Set(),
};

async function run(targets: RouteTarget[], overrides: Partial<FallbackCall> = {}) {
  const attempts: AttemptFact[] = [];
  const events: ModelEvent[] = [];
  const generator = callWithFallback({
    targets,
    request: { messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] },
    policy: POLICY,
    breakers: undefined,
    signal: new AbortController().signal,
    admit: async () => async () => undefined,
    onAttempt: (fact) => attempts.push(fact),
    routeName: 'smart',
    ...overrides,
  });
  let next = await generator.next();
  while (next.done !== true) {
    events.push(next.value);
    next = await generator.next();
  }
  const response = await collectResponse(
    (async function* () {
      yield* events;
    })(),
  );
  return { events, response, outcome: next.value, attempts };
}

describe('callWithFallback', () => {
  it('answers from the primary when it is healthy, with one attempt', async () => {
    const a = scripted('a', [text('Hello', ' there')]);
    const { response, outcome, attempts } = await run([target(a.provider)]);
    expect(response.text).toBe('Hello there');
    expect(response.finishReason).toBe('stop');
    expect(outcome.servedBy?.id).toBe('a/m');
    expect(attempts.map((fact) => fact.outcome)).toEqual(['ok']);
    expect(a.requests[0]?.model).toBe('m');
  });

  it('retries a 500 on the same target, then succeeds', async () => {
    const a = scripted('a', [failure(upstream(500)), text('ok')]);
    const { response, attempts } = await run([target(a.provider)]);
    expect(response.text).toBe('ok');
    expect(attempts.map((fact) => [fact.target, fact.attempt, fact.outcome])).toEqual([
      ['a/m', 1, 'failed'],
      ['a/m', 2, 'ok'],
    ]);
  });

  it('moves to the next target once the attempts are spent, invisibly', async () => {
    const a = scripted('a', [failure(upstream(503))]);
    const b = scripted('b', [text('from b')]);
    const { events, outcome } = await run([target(a.provider), target(b.provider)]);
    expect(events.filter((event) => event.type === 'error')).toEqual([]);
    expect(events[0]).toEqual({ type: 'text-delta', text: 'from b' });
    expect(outcome.servedBy?.id).toBe('b/m');
    expect(a.requests).toHaveLength(2);
    expect(b.requests).toHaveLength(1);
  });

  it('never retries a 400 and never falls back on it', async () => {
    const a = scripted('a', [failure(upstream(400))]);
    const b = scripted('b', [text('from b')]);
    const { response, outcome } = await run([target(a.provider), target(b.provider)]);
    expect(response.error?.code).toBe('RAMPART_UPSTREAM_REJECTED');
    expect(response.error?.upstreamStatus).toBe(400);
    expect(outcome.exhausted).toBe(false);
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(0);
  });

  it('falls back on a status the route lists, without retrying it (P26)', async () => {
    const a = scripted('a', [failure(upstream(401))]);
    const b = scripted('b', [text('from b')]);
    const policy = { ...POLICY, fallbackOnStatus: new Set([401, 429]) };
    const { response } = await run([target(a.provider), target(b.provider)], { policy });
    expect(response.text).toBe('from b');
    expect(a.requests).toHaveLength(1);
  });

  it('returns the listed status itself when the last target gives it', async () => {
    const a = scripted('a', [failure(upstream(401))]);
    const policy = { ...POLICY, fallbackOnStatus: new Set([401]) };
    const { response } = await run([target(a.provider)], { policy });
    expect(response.error?.upstreamStatus).toBe(401);
  });

  it('waits out a short Retry-After before retrying', async () => {
    const a = scripted('a', [failure(upstream(429, { retryAfterSeconds: 0 })), text('ok')]);
    const { response } = await run([target(a.provider)]);
    expect(response.text).toBe('ok');
  });

  it('moves on at once when Retry-After is longer than worth waiting', async () => {
    const a = scripted('a', [failure(upstream(429, { retryAfterSeconds: 30 }))]);
    const b = scripted('b', [text('from b')]);
    const started = performance.now();
    const { response } = await run([target(a.provider), target(b.provider)]);
    expect(response.text).toBe('from b');
    expect(a.requests).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('passes on the one failure when every attempt failed the same way', async () => {
    const a = scripted('a', [failure(upstream(429, { retryAfterSeconds: 30 }))]);
    const { response, outcome } = await run([target(a.provider)]);
    expect(outcome.exhausted).toBe(true);
    expect(response.error?.code).toBe('RAMPART_UPSTREAM_RATE_LIMITED');
    expect(response.error?.retryAfterSeconds).toBe(30);
  });

  it('fails an attempt whose stream ends with neither a finish nor an error', async () => {
    const silent: Script = () => [{ type: 'usage', usage: { inputTokens: 3, outputTokens: 0 } }];
    const a = scripted('a', [silent]);
    const { response, outcome, attempts } = await run([target(a.provider)]);
    expect(outcome.exhausted).toBe(true);
    expect(attempts.map((fact) => fact.outcome)).toEqual(['failed', 'failed']);
    expect(attempts[0]?.error?.code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
    expect(response.error?.code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
    expect(response.error?.message).toBe('The provider ended without a finish');
  });

  it('reports the route down when every target fails, with each failure named', async () => {
    const a = scripted('a', [failure(upstream(500))]);
    const b = scripted('b', [failure(cut())]);
    const { response, outcome } = await run([target(a.provider), target(b.provider)]);
    expect(outcome.exhausted).toBe(true);
    expect(response.error?.code).toBe('RAMPART_PROVIDERS_UNAVAILABLE');
    expect(response.error?.message).toContain('a/m: Upstream returned HTTP 500');
    expect(response.error?.message).toContain('b/m: cut');
    expect(a.requests).toHaveLength(2);
    expect(b.requests).toHaveLength(2);
  });

  it('starts no new attempt after the deadline', async () => {
    let clock = 0;
    const a = scripted('a', [
      () => {
        clock += 5_000;
        return [{ type: 'error', error: upstream(500), beforeContent: true }];
      },
    ]);
    const b = scripted('b', [text('late')]);
    const policy = { ...POLICY, deadlineMs: 4_000 };
    const { response } = await run([target(a.provider), target(b.provider)], {
      policy,
      now: () => clock,
    });
    expect(response.error?.code).toBe('RAMPART_PROVIDERS_UNAVAILABLE');
    expect(response.error?.message).toContain('deadline');
    expect(a.requests).toHaveLength(1);
    expect(b.requests).toHaveLength(0);
  });

  it('ends with an error after text went out when the route may not continue (P23, P25)', async () => {
    const a = scripted('a', [failure(cut(), 'Here is', ' the plan')]);
    const b = scripted('b', [text('Here is the plan in full')]);
    const { events, response } = await run([target(a.provider), target(b.provider)]);
    expect(response.text).toBe('Here is the plan');
    expect(response.finishReason).toBe('error');
    expect(events.at(-1)).toMatchObject({ type: 'error', beforeContent: false });
    expect(events.some((event) => event.type === 'finish')).toBe(false);
    expect(b.requests).toHaveLength(0);
    expect(a.requests).toHaveLength(1);
  });

  it('continues on the next target from the text sent, passing on only what is new', async () => {
    const a = scripted('a', [failure(cut(), 'The answer', ' is forty')]);
    const b = scripted('b', [text(' two, as', ' computed.')]);
    const policy = { ...POLICY, continueOnFailure: true };
    const { response, outcome, attempts } = await run([target(a.provider), target(b.provider)], {
      policy,
    });
    expect(response.text).toBe('The answer is forty two, as computed.');
    expect(response.finishReason).toBe('stop');
    expect(outcome.servedBy?.id).toBe('b/m');
    expect(b.requests[0]?.messages.at(-1)).toEqual({
      role: 'assistant',
      content: [{ type: 'text', text: 'The answer is forty' }],
      toolCalls: [],
    });
    expect(attempts.map((fact) => fact.continuation)).toEqual([false, true]);
  });

  it('drops a continuation that starts over, and one that repeats the last words', async () => {
    const sent = 'Rampart keeps answering when a provider fails';
    const restart = scripted('b', [
      text('Rampart keeps answering', ' when a provider fails', ' mid-stream.'),
    ]);
    const repeat = scripted('c', [text('when a provider fails', ' mid-stream.')]);
    const policy = { ...POLICY, continueOnFailure: true };
    for (const next of [restart, repeat]) {
      const a = scripted('a', [failure(cut(), sent)]);
      const { response } = await run([target(a.provider), target(next.provider)], { policy });
      expect(response.text).toBe(`${sent} mid-stream.`);
    }
  });

  it('never continues after a tool call was sent (P25)', async () => {
    const a = scripted('a', [
      () => [
        { type: 'tool-call-start', index: 0, id: 'call_1', name: 'lookup' },
        { type: 'tool-call-end', index: 0, id: 'call_1', name: 'lookup', arguments: '{}' },
        { type: 'error', error: cut(), beforeContent: false },
      ],
    ]);
    const b = scripted('b', [text('again')]);
    const policy = { ...POLICY, continueOnFailure: true };
    const { response } = await run([target(a.provider), target(b.provider)], { policy });
    expect(response.error?.code).toBe('RAMPART_UPSTREAM_STREAM_TRUNCATED');
    expect(response.toolCalls).toEqual([{ id: 'call_1', name: 'lookup', arguments: '{}' }]);
    expect(b.requests).toHaveLength(0);
  });

  it('charges a cut attempt by estimate and adds the reported usage of the rest', async () => {
    const a = scripted('a', [failure(cut(), 'twelve chars')]);
    const b = scripted('b', [text(' more')]);
    const policy = { ...POLICY, continueOnFailure: true };
    const { response } = await run([target(a.provider), target(b.provider)], { policy });
    expect(response.usage).toEqual({ inputTokens: 11, outputTokens: 4, estimated: true });
  });

  it('stops at once when our own admission refuses, trying no other target', async () => {
    const a = scripted('a', [text('never')]);
    const refusal = new RampartError('RAMPART_RATE_LIMITED', 'wait');
    const { response, attempts } = await run([target(a.provider)], {
      admit: async () => {
        throw refusal;
      },
    });
    expect(response.error).toBe(refusal);
    expect(attempts).toEqual([]);
    expect(a.requests).toHaveLength(0);
  });

  it('stops retrying when the client goes away during the backoff', async () => {
    const controller = new AbortController();
    const a = scripted('a', [
      () => {
        setTimeout(() => controller.abort(), 5);
        return [{ type: 'error', error: upstream(500), beforeContent: true }];
      },
    ]);
    const policy = { ...POLICY, retry: { ...POLICY.retry, baseDelayMs: 5_000, maxDelayMs: 5_000 } };
    const started = performance.now();
    const { response } = await run([target(a.provider)], {
      policy,
      signal: controller.signal,
      random: () => 1,
    });
    expect(response.error?.code).toBe('RAMPART_CLIENT_CLOSED');
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(a.requests).toHaveLength(1);
  });

  it('retries a cut answer from the start when the caller shows nothing until the end', async () => {
    const a = scripted('a', [failure(cut(), 'Half an'), text('A whole', ' answer.')]);
    const serving: string[] = [];
    const { events, response, attempts } = await run([target(a.provider)], {
      buffered: true,
      onServing: (served) => serving.push(served.id),
    });
    expect(response.text).toBe('A whole answer.');
    expect(response.finishReason).toBe('stop');
    expect(events.filter((event) => event.type === 'text-delta')).toHaveLength(2);
    expect(attempts.map((fact) => fact.outcome)).toEqual(['failed', 'ok']);
    expect(serving).toEqual(['a/m']);
    // The cut attempt produced text, so it is charged (by estimate) with the reported rest.
    expect(response.usage).toMatchObject({ inputTokens: 11, outputTokens: 4, estimated: true });
  });

  it('falls back after a cut answer when buffered, with nothing of the cut attempt passed on', async () => {
    const a = scripted('a', [failure(cut(), 'Half an')]);
    const b = scripted('b', [text('From b.')]);
    const { response, outcome } = await run([target(a.provider), target(b.provider)], {
      buffered: true,
    });
    expect(response.text).toBe('From b.');
    expect(outcome.servedBy?.id).toBe('b/m');
  });

  it('moves on at once after a timeout instead of waiting out another one', async () => {
    const timeout = new RampartError('RAMPART_UPSTREAM_TIMEOUT', 'no first byte in time');
    const a = scripted('a', [failure(timeout)]);
    const b = scripted('b', [text('from b')]);
    const { response } = await run([target(a.provider), target(b.provider)]);
    expect(response.text).toBe('from b');
    expect(a.requests).toHaveLength(1);
  });

  it('continues an answer even after the deadline: it bounds only the wait for a first answer', async () => {
    let clock = 0;
    const a = scripted('a', [
      () => {
        clock += 10_000;
        return [
          { type: 'text-delta', text: 'A long answer' },
          { type: 'error', error: cut(), beforeContent: false },
        ];
      },
    ]);
    const b = scripted('b', [text(' ends well.')]);
    const policy = { ...POLICY, deadlineMs: 4_000, continueOnFailure: true };
    const { response } = await run([target(a.provider), target(b.provider)], {
      policy,
      now: () => clock,
    });
    expect(response.text).toBe('A long answer ends well.');
    expect(response.finishReason).toBe('stop');
  });

  it('skips a target whose provider is at its cap, at no upstream cost, and waits only on the last', async () => {
    const a = scripted('a', [text('from a')]);
    const b = scripted('b', [text('from b')]);
    const asked: [string, boolean][] = [];
    const released: string[] = [];
    const { response, attempts } = await run([target(a.provider), target(b.provider)], {
      capacity: async (room, wait) => {
        asked.push([room.id, wait]);
        if (room.id === 'a/m') return undefined;
        return async () => {
          released.push(room.id);
        };
      },
    });
    expect(response.text).toBe('from b');
    expect(a.requests).toHaveLength(0);
    expect(asked).toEqual([
      ['a/m', false],
      ['b/m', true],
    ]);
    expect(released).toEqual(['b/m']);
    expect(attempts.map((fact) => [fact.target, fact.outcome, fact.skipReason])).toEqual([
      ['a/m', 'skipped', 'at-capacity'],
      ['b/m', 'ok', undefined],
    ]);
  });

  it('gives the room back when the shared admission refuses after it was taken', async () => {
    const a = scripted('a', [text('never')]);
    const released: string[] = [];
    const { response } = await run([target(a.provider)], {
      capacity: async (room) => async () => {
        released.push(room.id);
      },
      admit: async () => {
        throw new RampartError('RAMPART_RATE_LIMITED', 'busy');
      },
    });
    expect(response.error?.code).toBe('RAMPART_RATE_LIMITED');
    expect(released).toEqual(['a/m']);
  });

  it('counts a route whose last target timed out as down, so degraded mode applies', async () => {
    const timeout = new RampartError('RAMPART_UPSTREAM_TIMEOUT', 'no first byte in time');
    const a = scripted('a', [failure(timeout)]);
    const { response, outcome } = await run([target(a.provider)]);
    expect(outcome.exhausted).toBe(true);
    expect(response.error?.code).toBe('RAMPART_UPSTREAM_TIMEOUT');
    expect(a.requests).toHaveLength(1);
  });

  it('returns a listed client-error status on the last target as it is, the route not down', async () => {
    const a = scripted('a', [failure(upstream(401))]);
    const policy = { ...POLICY, fallbackOnStatus: new Set([401]) };
    const { outcome } = await run([target(a.provider)], { policy });
    expect(outcome.exhausted).toBe(false);
  });

  it('retries invisibly when the caller never shows tool calls and one broke off midway', async () => {
    const a = scripted('a', [
      () => [
        { type: 'tool-call-start', index: 0, id: 'call_a', name: 'lookup' },
        { type: 'tool-call-delta', index: 0, argumentsDelta: '{"q":' },
        { type: 'error', error: cut(), beforeContent: false },
      ],
      () => [
        { type: 'tool-call-start', index: 0, id: 'call_b', name: 'lookup' },
        { type: 'tool-call-end', index: 0, id: 'call_b', name: 'lookup', arguments: '{"q":1}' },
        { type: 'finish', reason: 'tool-calls' },
      ],
    ]);
    const { events, response } = await run([target(a.provider)], { holdToolCalls: true });
    expect(response.error).toBeUndefined();
    expect(response.toolCalls).toEqual([{ id: 'call_b', name: 'lookup', arguments: '{"q":1}' }]);
    expect(events.filter((event) => event.type === 'tool-call-start')).toHaveLength(1);
    expect(a.requests).toHaveLength(2);
  });

  it('waits for a full target rather than give up when every other target failed', async () => {
    const a = scripted('a', [text('from a')]);
    const b = scripted('b', [failure(upstream(503))]);
    const asked: [string, boolean][] = [];
    const { response, outcome } = await run([target(a.provider), target(b.provider)], {
      capacity: async (room, wait) => {
        asked.push([room.id, wait]);
        if (room.id === 'a/m' && !wait) return undefined;
        return async () => undefined;
      },
    });
    expect(response.text).toBe('from a');
    expect(outcome.servedBy?.id).toBe('a/m');
    expect(asked).toEqual([
      ['a/m', false],
      ['b/m', true],
      ['b/m', true],
      ['a/m', true],
    ]);
  });
});
