import { getEventListeners } from 'node:events';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig, type ConfigInput } from '../config/index.js';
import type { Principal } from '../core/principal.js';
import { RampartError } from '../core/errors.js';
import type { ModelEvent } from '../core/events.js';
import { createProviders, type Provider } from '../providers/index.js';
import { DegradedAnswers } from '../resilience/index.js';
import type { AnswerStore } from '../store/index.js';
import { builtinTools, ToolRegistry, type ToolDefinition } from '../tools/index.js';
import { createRuntime } from './runtime.js';
import type { TurnEvent } from './turn-event.js';
import type { TurnInput } from './turn.js';

const principal: Principal = {
  userId: 'u1',
  role: 'user',
  tier: 'standard',
  permissions: [],
  keyId: 'k1',
};

/**
 * A model that asks for a tool it was not offered (the simulated model never does), then answers:
 * the runtime must refuse the call in code whatever the model asked.
 */
function scriptedProvider(script?: () => ModelEvent[]): Provider {
  let calls = 0;
  return {
    name: 'simulated',
    kind: 'simulated',
    simulated: true,
    async *stream(): AsyncGenerator<ModelEvent> {
      calls++;
      if (script) {
        yield* script();
        return;
      }
      if (calls > 1) {
        yield { type: 'text-delta', text: 'done' };
        yield { type: 'finish', reason: 'stop' };
        return;
      }
      const requested = [
        { id: 'call_a', name: 'calculator', arguments: '{"expression":"1+1"}' },
        { id: 'call_b', name: 'current_time', arguments: '{}' },
      ];
      for (const [index, call] of requested.entries()) {
        yield { type: 'tool-call-start', index, id: call.id, name: call.name };
        yield { type: 'tool-call-end', index, ...call };
      }
      yield { type: 'finish', reason: 'tool-calls' };
    },
    close: async () => undefined,
  };
}

function setup(config: ConfigInput = {}, extraTools: ToolDefinition[] = [], provider?: Provider) {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const loaded = loadConfig({
    object: {
      providers: { simulated: { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 0 } },
      ...config,
    },
  });
  const tools = new ToolRegistry();
  for (const tool of [...builtinTools(), ...extraTools]) tools.register(tool);
  const runtime = createRuntime({
    config: loaded,
    providers: provider ? new Map([['simulated', provider]]) : createProviders(loaded.providers),
    tools,
    logger: pino({ level: 'info' }, sink),
  });
  return { runtime, lines };
}

function input(content: string, overrides: Partial<TurnInput> = {}): TurnInput {
  return {
    requestId: 'req_1',
    principal,
    modelName: 'rampart-sim-1',
    messages: [{ role: 'user', content: [{ type: 'text', text: content }] }],
    options: {},
    signal: new AbortController().signal,
    ...overrides,
  };
}

const serverTools = (names: string[], maxSteps = 8) => ({
  names,
  concurrency: 4,
  timeoutMs: 1000,
  maxSteps,
});

async function collect(events: AsyncIterable<TurnEvent>) {
  const all: TurnEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

describe('runtime', () => {
  it('refuses an unknown model before anything runs, and logs the refusal once', async () => {
    const { runtime, lines } = setup();
    await expect(runtime.prepareTurn(input('hi', { modelName: 'nope' }))).rejects.toMatchObject({
      code: 'RAMPART_UNKNOWN_MODEL',
      status: 404,
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'turn failed',
      model: 'nope',
      errorCode: 'RAMPART_UNKNOWN_MODEL',
      outcome: 'refused',
    });
    // The name is the client's: it is logged cut to a bound.
    const long = setup();
    await expect(
      long.runtime.prepareTurn(input('hi', { modelName: 'm'.repeat(5_000) })),
    ).rejects.toMatchObject({ code: 'RAMPART_UNKNOWN_MODEL' });
    expect(long.lines[0]?.model).toBe('m'.repeat(200));
  });

  it('ends a plain turn with usage once, then finish, and writes one completion line without content', async () => {
    const { runtime, lines } = setup();
    const prepared = await runtime.prepareTurn(input('tell me a story'));
    const events = await collect(prepared.events);
    const tail = events.slice(-2).map((event) => event.type);
    expect(tail).toEqual(['usage', 'finish']);
    expect(events.filter((event) => event.type === 'usage')).toHaveLength(1);
    expect(prepared.turn.produced).toHaveLength(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'turn completed',
      requestId: 'req_1',
      userId: 'u1',
      outputTokens: 30,
      outcome: 'ok',
      finishReason: 'stop',
      timeToFirstTokenMs: expect.any(Number),
      durationMs: expect.any(Number),
    });
    expect(lines[0]).not.toHaveProperty('prompt');
    expect(JSON.stringify(lines[0])).not.toContain('story');
  });

  it('adds prompt and completion to the log line only when log.content is on', async () => {
    const { runtime, lines } = setup({ log: { content: true } });
    await collect((await runtime.prepareTurn(input('tell me a story'))).events);
    expect(lines[0]).toMatchObject({
      prompt: 'tell me a story',
      completion: expect.stringContaining('story'),
    });
  });

  it('refuses in code a registered tool the assistant was not given', async () => {
    const { runtime } = setup({}, [], scriptedProvider());
    const prepared = await runtime.prepareTurn(
      input('anything', { serverTools: serverTools(['calculator']) }),
    );
    const events = await collect(prepared.events);
    const ends = events.filter((event) => event.type === 'tool-end');
    expect(ends.map((event) => [event.name, event.ok]).sort()).toEqual([
      ['calculator', true],
      ['current_time', false],
    ]);
    const results = prepared.turn.produced.filter((message) => message.role === 'tool');
    expect(results.map((message) => message.isError ?? false)).toEqual([false, true]);
    expect(results[1]!.content).toContain('RAMPART_TOOL_NOT_FOUND');
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
  });

  it('keeps tool calls cut off by the token limit, answered as not run, and reports length', async () => {
    const { runtime } = setup(
      {},
      [],
      scriptedProvider(() => [
        { type: 'tool-call-start', index: 0, id: 'call_a', name: 'calculator' },
        { type: 'tool-call-end', index: 0, id: 'call_a', name: 'calculator', arguments: '{"expr' },
        { type: 'usage', usage: { inputTokens: 10, outputTokens: 4 } },
        { type: 'finish', reason: 'length' },
      ]),
    );
    const prepared = await runtime.prepareTurn(
      input('x', { serverTools: serverTools(['calculator']) }),
    );
    const events = await collect(prepared.events);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'length' });
    expect(events.some((event) => event.type === 'tool-start')).toBe(false);
    const [call, result] = prepared.turn.produced;
    expect(call).toMatchObject({
      role: 'assistant',
      toolCalls: [{ id: 'call_a', arguments: '{"expr' }],
    });
    expect(result).toMatchObject({ role: 'tool', toolCallId: 'call_a', isError: true });
  });

  it('gives repeated, empty, over-long and unprintable tool call ids of its own, one per call', async () => {
    let step = 0;
    const long = `call_${'x'.repeat(2_000)}`;
    const { runtime } = setup(
      {},
      [],
      scriptedProvider(() => {
        step++;
        if (step > 1)
          return [
            { type: 'text-delta', text: 'done' },
            { type: 'finish', reason: 'stop' },
          ];
        const calls = [
          { id: 'call_same', arguments: '{"expression":"1+1"}' },
          { id: 'call_same', arguments: '{"expression":"2+2"}' },
          { id: '', arguments: '{"expression":"3+3"}' },
          { id: long, arguments: '{"expression":"4+4"}' },
          { id: 'call_\u202eevil\n', arguments: '{"expression":"5+5"}' },
        ];
        return [
          ...calls.flatMap((call, index): ModelEvent[] => [
            { type: 'tool-call-start', index, id: call.id, name: 'calculator' },
            { type: 'tool-call-end', index, name: 'calculator', ...call },
          ]),
          { type: 'finish', reason: 'tool-calls' },
        ];
      }),
    );
    const prepared = await runtime.prepareTurn(
      input('x', { serverTools: serverTools(['calculator']) }),
    );
    const events = await collect(prepared.events);
    const [call, ...results] = prepared.turn.produced;
    const ids = call?.role === 'assistant' ? call.toolCalls.map((toolCall) => toolCall.id) : [];
    expect(ids[0]).toBe('call_same');
    expect(new Set(ids).size).toBe(5);
    expect(ids.every((id) => /^[\x21-\x7e]{1,128}$/.test(id))).toBe(true);
    // Each result pairs with its own call, and holds that call's answer.
    const byId = new Map(
      results.flatMap((message) =>
        message.role === 'tool' ? [[message.toolCallId, message.content] as const] : [],
      ),
    );
    const answers = ids.map(
      (id) => (JSON.parse(byId.get(id) ?? '{}') as { result?: number }).result,
    );
    expect(answers).toEqual([2, 4, 6, 8, 10]);
    // The client saw the calls under the same ids.
    const started = events.flatMap((event) => (event.type === 'tool-start' ? [event.callId] : []));
    expect(started.sort()).toEqual([...ids].sort());
  });

  it('stores no empty assistant message and estimates usage the provider did not report', async () => {
    const { runtime, lines } = setup(
      {},
      [],
      scriptedProvider(() => [{ type: 'finish', reason: 'length' }]),
    );
    const prepared = await runtime.prepareTurn(input('a question of some length'));
    const events = await collect(prepared.events);
    expect(prepared.turn.produced).toEqual([]);
    const usage = events.find((event) => event.type === 'usage');
    expect(usage).toEqual({
      type: 'usage',
      usage: { inputTokens: 7, outputTokens: 0, estimated: true },
    });
    expect(lines[0]).toMatchObject({ inputTokens: 7 });
  });

  it('charges an estimate for a call that failed after producing content, none before', async () => {
    const cut = new RampartError('RAMPART_UPSTREAM_STREAM_TRUNCATED', 'cut');
    const after = setup(
      {},
      [],
      scriptedProvider(() => [
        { type: 'text-delta', text: 'x'.repeat(400) },
        { type: 'error', error: cut, beforeContent: false },
      ]),
    );
    const charged = await after.runtime.prepareTurn(input('a question of some length'));
    await collect(charged.events);
    expect(charged.turn.usage).toEqual({ inputTokens: 7, outputTokens: 100, estimated: true });

    const before = setup(
      {},
      [],
      scriptedProvider(() => [{ type: 'error', error: cut, beforeContent: true }]),
    );
    const free = await before.runtime.prepareTurn(input('a question of some length'));
    await collect(free.events);
    expect(free.turn.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
  });

  it('stops at the step limit with a clear error instead of looping', async () => {
    const echo: ToolDefinition = {
      name: 'again',
      parameters: { type: 'object' },
      // The simulated model calls tools from the last user message only, so a result that
      // quotes a call would not loop; the limit is exercised with maxSteps 1 instead.
      handler: async () => 'ok',
    };
    const { runtime } = setup({}, [echo]);
    const prepared = await runtime.prepareTurn(
      input('call again {}', { serverTools: serverTools(['again'], 1) }),
    );
    const events = await collect(prepared.events);
    const last = events.at(-1)!;
    expect(last.type).toBe('error');
    expect(last.type === 'error' && last.error.code).toBe('RAMPART_TOOL_LOOP_LIMIT');
    expect(prepared.turn.toolCalls).toHaveLength(0);
  });

  it('ends with RAMPART_CLIENT_CLOSED and aborts a running tool when the signal fires', async () => {
    let toolSawAbort = false;
    const slow: ToolDefinition = {
      name: 'slow',
      parameters: { type: 'object' },
      handler: (_args, { signal }) =>
        new Promise((resolve) => {
          signal.addEventListener('abort', () => {
            toolSawAbort = true;
            resolve('stopped');
          });
        }),
    };
    const { runtime } = setup({}, [slow]);
    const controller = new AbortController();
    const prepared = await runtime.prepareTurn(
      input('call slow {}', { serverTools: serverTools(['slow']), signal: controller.signal }),
    );
    const seen: TurnEvent[] = [];
    for await (const event of prepared.events) {
      seen.push(event);
      if (event.type === 'tool-start') controller.abort();
    }
    expect(toolSawAbort).toBe(true);
    const last = seen.at(-1)!;
    expect(last.type === 'error' && last.error.code).toBe('RAMPART_CLIENT_CLOSED');
  });

  it("follows the caller's signal and its own stop, and leaves no listener on the caller's signal", async () => {
    const { runtime } = setup();
    const shared = new AbortController();
    for (let index = 0; index < 3; index++) {
      const prepared = await runtime.prepareTurn(input('hello', { signal: shared.signal }));
      await collect(prepared.events);
      expect(prepared.turn.input.signal.aborted).toBe(false);
    }
    // A caller may reuse one signal for many turns: each turn's link to it is taken off.
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);

    const stopped = await runtime.prepareTurn(input('hello', { signal: shared.signal }));
    const reason = new RampartError('RAMPART_OUTPUT_WITHHELD', 'cut');
    stopped.turn.stop(reason);
    expect(stopped.turn.input.signal.reason).toBe(reason);
    expect(shared.signal.aborted).toBe(false);

    const client = new AbortController();
    const followed = await runtime.prepareTurn(input('hello', { signal: client.signal }));
    const gone = new RampartError('RAMPART_CLIENT_CLOSED', 'gone');
    client.abort(gone);
    expect(followed.turn.input.signal.reason).toBe(gone);
    client.abort();
    const late = await runtime.prepareTurn(input('hello', { signal: client.signal }));
    expect(late.turn.input.signal.reason).toBe(gone);
  });

  it('ends a turn without waiting for a stored-answer write that never finishes', async () => {
    const loaded = loadConfig({
      object: { providers: { simulated: { type: 'simulated', firstTokenMs: 0 } } },
    });
    const writes: string[] = [];
    const stuck: AnswerStore = {
      get: async () => undefined,
      set: (key) => {
        writes.push(key);
        return new Promise<void>(() => undefined);
      },
    };
    const logger = pino({ level: 'silent' });
    const runtime = createRuntime({
      config: loaded,
      providers: createProviders(loaded.providers),
      tools: new ToolRegistry(),
      logger,
      answers: new DegradedAnswers({
        store: stuck,
        ttlMs: 60_000,
        maxAnswerChars: 10_000,
        scope: 'user',
        logger,
      }),
    });
    const prepared = await runtime.prepareTurn(input('What is a lighthouse?'));
    const events = await collect(prepared.events);
    expect(events.at(-1)).toMatchObject({ type: 'finish', reason: 'stop' });
    expect(writes).toHaveLength(1);
  });
});
