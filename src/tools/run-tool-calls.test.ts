import { afterEach, describe, expect, it, vi } from 'vitest';
import { RampartError, type Principal, type ToolCall } from '../core/index.js';
import { runToolCalls, type RunToolCallsOptions } from './run-tool-calls.js';
import { ToolRegistry } from './tool-registry.js';
import type { ToolContext, ToolDefinition, ToolEvent, ToolHandler } from './types.js';

const principal: Principal = {
  userId: 'user-1',
  role: 'user',
  tier: 'standard',
  permissions: [],
  keyId: 'key-1',
};

const anyObject = { type: 'object' };

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

function define(name: string, handler: ToolHandler, extra: Partial<ToolDefinition> = {}) {
  return { name, parameters: anyObject, handler, ...extra } satisfies ToolDefinition;
}

function call(id: string, name: string, args = '{}'): ToolCall {
  return { id, name, arguments: args };
}

function run(
  calls: ToolCall[],
  tools: ToolDefinition[],
  options: Partial<RunToolCallsOptions> = {},
) {
  const registry = new ToolRegistry();
  for (const tool of tools) registry.register(tool);
  const signal = options.signal ?? new AbortController().signal;
  return runToolCalls(calls, { registry, principal, signal, ...options });
}

function errorOf(content: string) {
  return (JSON.parse(content) as { error: { code: string; message: string } }).error;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('runToolCalls: order, concurrency and events', () => {
  it('returns results in call order although they finish in reverse', async () => {
    const gates = [deferred<string>(), deferred<string>(), deferred<string>()];
    const events: ToolEvent[] = [];
    const wait = define('wait', (args) => gates[(args as { n: number }).n]!.promise);
    const calls = [0, 1, 2].map((n) => call(`c${n}`, 'wait', `{"n":${n}}`));

    const pending = run(calls, [wait], { onEvent: (event) => events.push(event) });
    gates[2]!.resolve('two');
    await Promise.resolve();
    gates[1]!.resolve('one');
    await Promise.resolve();
    gates[0]!.resolve('zero');
    const results = await pending;

    expect(results.map((result) => [result.callId, result.content])).toEqual([
      ['c0', 'zero'],
      ['c1', 'one'],
      ['c2', 'two'],
    ]);
    expect(events.map((event) => `${event.type}:${event.callId}`)).toEqual([
      'tool-start:c0',
      'tool-start:c1',
      'tool-start:c2',
      'tool-end:c2',
      'tool-end:c1',
      'tool-end:c0',
    ]);
  });

  it.each([
    [undefined, 4],
    [2, 2],
    [1, 1],
  ])('with concurrency %s runs at most %i calls at once', async (concurrency, expected) => {
    let running = 0;
    let peak = 0;
    const busy = define('busy', async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return 'done';
    });
    const calls = Array.from({ length: 10 }, (_, i) => call(`c${i}`, 'busy'));

    const results = await run(calls, [busy], concurrency ? { concurrency } : {});

    expect(peak).toBe(expected);
    expect(results.every((result) => result.ok && result.content === 'done')).toBe(true);
  });

  it('resolves an empty batch to no results', async () => {
    expect(await run([], [])).toEqual([]);
  });

  it('refuses a concurrency below one', async () => {
    await expect(run([call('c', 'x')], [], { concurrency: 0 })).rejects.toThrow(
      'Tool concurrency must be an integer >= 1.',
    );
  });

  it('reports durations and end events from the given clock', async () => {
    let clock = 1000;
    const slow = define('slow', () => {
      clock += 250;
      return Promise.resolve('ok');
    });
    const events: ToolEvent[] = [];

    const [result] = await run([call('c1', 'slow')], [slow], {
      now: () => clock,
      onEvent: (event) => events.push(event),
    });

    expect(result).toEqual({
      callId: 'c1',
      name: 'slow',
      ok: true,
      content: 'ok',
      durationMs: 250,
    });
    expect(events[1]).toEqual({
      type: 'tool-end',
      callId: 'c1',
      name: 'slow',
      ok: true,
      durationMs: 250,
    });
  });

  it('keeps running when an event listener throws', async () => {
    const echo = define('echo', () => Promise.resolve('hi'));
    const results = await run([call('c1', 'echo')], [echo], {
      onEvent: () => {
        throw new Error('listener broke');
      },
    });
    expect(results[0]?.content).toBe('hi');
  });
});

describe('runToolCalls: the handler and its context', () => {
  it('passes validated arguments, the principal, the session and a live signal', async () => {
    let seen: { args: unknown; context: ToolContext } | undefined;
    const inspect = define(
      'inspect',
      (args, context) => {
        seen = { args, context };
        return Promise.resolve({ received: args });
      },
      {
        parameters: {
          type: 'object',
          properties: { q: { type: 'string' }, page: { type: 'integer', default: 1 } },
        },
      },
    );

    const [result] = await run([call('c1', 'inspect', '{"q":"x"}')], [inspect], {
      sessionId: 'sess_abc',
    });

    expect(seen?.args).toEqual({ q: 'x', page: 1 });
    expect(seen?.context.principal).toBe(principal);
    expect(seen?.context.sessionId).toBe('sess_abc');
    expect(seen?.context.signal.aborted).toBe(false);
    expect(result?.content).toBe('{"received":{"q":"x","page":1}}');
  });

  it.each([
    ['a string, as it is', 'plain "text"', 'plain "text"'],
    ['an object, as JSON', { a: [1, 2] }, '{"a":[1,2]}'],
    ['a number, as JSON', 42, '42'],
    ['undefined, as null', undefined, 'null'],
  ])('serialises %s', async (_label, value, content) => {
    const [result] = await run(
      [call('c1', 'value')],
      [define('value', () => Promise.resolve(value))],
    );
    expect(result).toMatchObject({ ok: true, content });
  });

  it('turns an unserialisable value into a failure', async () => {
    const big = define('big', () => Promise.resolve({ n: 10n }));
    const [result] = await run([call('c1', 'big')], [big]);
    expect(result?.errorCode).toBe('RAMPART_TOOL_FAILED');
  });

  it('cuts output over the limit and marks the cut', async () => {
    const huge = define('huge', () => Promise.resolve('é'.repeat(100_000)));

    const [byDefault] = await run([call('c1', 'huge')], [huge]);
    const [small] = await run([call('c1', 'huge')], [huge], { maxOutputBytes: 200 });

    expect(Buffer.byteLength(byDefault!.content)).toBeLessThanOrEqual(65_536);
    expect(Buffer.byteLength(byDefault!.content)).toBeGreaterThan(65_400);
    expect(byDefault!.content).toMatch(
      /\n\[output truncated: 200000 bytes, the first part is shown\]$/,
    );
    expect(Buffer.byteLength(small!.content)).toBeLessThanOrEqual(200);
    expect(small!.content.startsWith('éé')).toBe(true);
    expect(small!.ok).toBe(true);
  });
});

describe('runToolCalls: failures become results', () => {
  it('answers an unknown tool with RAMPART_TOOL_NOT_FOUND and still reports events', async () => {
    const events: ToolEvent[] = [];

    const [result] = await run([call('c1', 'teleport')], [], { onEvent: (e) => events.push(e) });

    expect(result).toMatchObject({ callId: 'c1', name: 'teleport', ok: false });
    expect(result?.errorCode).toBe('RAMPART_TOOL_NOT_FOUND');
    expect(errorOf(result!.content)).toEqual({
      code: 'RAMPART_TOOL_NOT_FOUND',
      message: "No tool named 'teleport' is available.",
    });
    expect(events.map((event) => event.type)).toEqual(['tool-start', 'tool-end']);
    expect(events[1]).toMatchObject({ ok: false, errorCode: 'RAMPART_TOOL_NOT_FOUND' });
  });

  it('refuses a registered tool outside the allowed set without calling it', async () => {
    let called = false;
    const tool = define('admin_reset', async () => {
      called = true;
      return 'done';
    });

    const [result] = await run([call('c1', 'admin_reset')], [tool], {
      allowed: new Set(['other']),
    });

    expect(called).toBe(false);
    expect(result?.errorCode).toBe('RAMPART_TOOL_NOT_FOUND');
  });

  it('answers malformed arguments without calling the handler', async () => {
    let called = false;
    const tool = define(
      'lookup',
      () => {
        called = true;
        return Promise.resolve('x');
      },
      { parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } },
    );

    const results = await run(
      [call('a', 'lookup', '{"id": "12'), call('b', 'lookup', '[]'), call('c', 'lookup', '')],
      [tool],
    );

    expect(called).toBe(false);
    expect(results.map((result) => result.errorCode)).toEqual([
      'RAMPART_TOOL_INVALID_ARGUMENTS',
      'RAMPART_TOOL_INVALID_ARGUMENTS',
      'RAMPART_TOOL_INVALID_ARGUMENTS',
    ]);
    expect(errorOf(results[1]!.content).message).toBe(
      'arguments must be a JSON object, not an array',
    );
    expect(errorOf(results[2]!.content).message).toBe(
      "arguments do not match the schema: (root): missing required property 'id'",
    );
  });

  it('answers a thrown error with its bounded message and no stack', async () => {
    const failing = define('failing', () =>
      Promise.reject(new Error(`disk full ${'!'.repeat(5000)}`)),
    );

    const [result] = await run([call('c1', 'failing')], [failing]);

    const error = errorOf(result!.content);
    expect(result?.errorCode).toBe('RAMPART_TOOL_FAILED');
    expect(error.message.startsWith('disk full !!!')).toBe(true);
    expect(error.message).toHaveLength(1000);
    expect(result!.content).not.toContain('at ');
  });

  it('catches a handler that throws synchronously', async () => {
    const sync: ToolHandler = () => {
      throw new TypeError('bad input');
    };
    const [result] = await run([call('c1', 'sync')], [define('sync', sync)]);
    expect(errorOf(result!.content)).toEqual({ code: 'RAMPART_TOOL_FAILED', message: 'bad input' });
  });

  it('keeps a tool code the handler chose, but not a non-tool code', async () => {
    const picky = define('picky', () =>
      Promise.reject(new RampartError('RAMPART_TOOL_INVALID_ARGUMENTS', 'no such city')),
    );
    const internal = define('internal', () =>
      Promise.reject(new RampartError('RAMPART_UNAUTHORIZED', 'nope')),
    );

    const results = await run([call('a', 'picky'), call('b', 'internal')], [picky, internal]);

    expect(results.map((result) => result.errorCode)).toEqual([
      'RAMPART_TOOL_INVALID_ARGUMENTS',
      'RAMPART_TOOL_FAILED',
    ]);
  });
});

describe('runToolCalls: timeouts and cancellation', () => {
  it('times out a handler that ignores its signal, and aborts that signal', async () => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    const stuck = define('stuck', (_args, context) => {
      signal = context.signal;
      return new Promise(() => {});
    });
    const quick = define('quick', () => Promise.resolve('fine'));

    const pending = run([call('a', 'stuck'), call('b', 'quick')], [stuck, quick]);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const [timedOut, fine] = await pending;

    expect(signal?.aborted).toBe(true);
    expect(timedOut?.errorCode).toBe('RAMPART_TOOL_TIMEOUT');
    expect(errorOf(timedOut!.content).message).toBe(
      "The tool 'stuck' did not finish within 30000 ms.",
    );
    expect(fine?.content).toBe('fine');
  });

  it("uses a tool's own timeout over the default", async () => {
    vi.useFakeTimers();
    const stuck = define('stuck', () => new Promise(() => {}), { timeoutMs: 50 });

    const pending = run([call('a', 'stuck')], [stuck], { defaultTimeoutMs: 10_000 });
    await vi.advanceTimersByTimeAsync(50);

    expect((await pending)[0]?.errorCode).toBe('RAMPART_TOOL_TIMEOUT');
  });

  it('on cancel aborts running handlers at once and never starts the rest', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const signals: AbortSignal[] = [];
    const events: ToolEvent[] = [];
    const hang = define('hang', (args, context) => {
      started.push((args as { n: string }).n);
      signals.push(context.signal);
      return new Promise(() => {});
    });
    const calls = ['1', '2', '3', '4'].map((n) => call(`c${n}`, 'hang', `{"n":"${n}"}`));

    const pending = run(calls, [hang], {
      concurrency: 2,
      signal: controller.signal,
      onEvent: (event) => events.push(event),
    });
    await Promise.resolve();
    controller.abort();
    const results = await pending;

    expect(started).toEqual(['1', '2']);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(results.map((result) => result.errorCode)).toEqual([
      'RAMPART_CLIENT_CLOSED',
      'RAMPART_CLIENT_CLOSED',
      'RAMPART_CLIENT_CLOSED',
      'RAMPART_CLIENT_CLOSED',
    ]);
    expect(errorOf(results[0]!.content).message).toBe(
      'The tool call was cancelled while it ran; its outcome is unknown, and it was not run again.',
    );
    expect(errorOf(results[3]!.content).message).toBe(
      'The tool call was cancelled before it started.',
    );
    expect(events.map((event) => `${event.type}:${event.callId}`)).toEqual([
      'tool-start:c1',
      'tool-start:c2',
      'tool-end:c1',
      'tool-end:c2',
    ]);
  });

  it('starts nothing when the signal is already aborted', async () => {
    let called = false;
    const tool = define('tool', () => {
      called = true;
      return Promise.resolve('x');
    });

    const results = await run([call('a', 'tool')], [tool], { signal: AbortSignal.abort() });

    expect(called).toBe(false);
    expect(results).toEqual([
      {
        callId: 'a',
        name: 'tool',
        ok: false,
        content: expect.stringContaining('cancelled before it started') as string,
        errorCode: 'RAMPART_CLIENT_CLOSED',
        durationMs: 0,
      },
    ]);
  });
});
