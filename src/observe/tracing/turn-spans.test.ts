import { Writable } from 'node:stream';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type ConfigInput } from '../../config/index.js';
import { RampartError } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { createProviders } from '../../providers/index.js';
import { createRuntime, type TurnInput, type TurnStage } from '../../runtime/index.js';
import { builtinTools, ToolRegistry, type ToolDefinition } from '../../tools/index.js';
import { tracingSetup, type TracingSetup } from './tracing-setup.js';

const principal: Principal = {
  userId: 'u1',
  role: 'user',
  tier: 'standard',
  permissions: [],
  keyId: 'k1',
};

const FAST = { firstTokenMs: 0, tokensPerSecond: 0 };

/**
 * Provider `a` answers 503 to a message holding `FAIL-A`; `b` always answers; `down` is a
 * loopback port nothing listens on. Retries wait 1 ms, so a failing target is tried twice.
 */
const CONFIG: ConfigInput = {
  providers: {
    a: { type: 'simulated', ...FAST, faults: [{ kind: 'status', status: 503, match: 'FAIL-A' }] },
    b: { type: 'simulated', ...FAST, seed: 2 },
    slow: { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 20 },
    down: { type: 'openai', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'unused' },
  },
  models: {
    plain: { provider: 'a', model: 'sim-a' },
    slow: { provider: 'slow', model: 'sim-slow' },
    chain: { provider: 'a', model: 'sim-a', fallbacks: [{ provider: 'b', model: 'sim-b' }] },
    refused: {
      provider: 'down',
      model: 'gpt-4o-mini',
      fallbacks: [{ provider: 'b', model: 'sim-b' }],
    },
  },
  resilience: { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } },
  // Every stage hook gets a span, however quick, so the span trees below are exact.
  observe: { tracing: { enabled: true, stageSpanMinMs: 0 } },
};

/** Two calls of `gate` only return once both have started: they must run side by side. */
function gateTool(): ToolDefinition {
  let started = 0;
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    name: 'gate',
    parameters: { type: 'object', properties: {} },
    handler: async () => {
      started += 1;
      if (started === 2) open();
      await opened;
      return { passed: true };
    },
  };
}

const brokenTool: ToolDefinition = {
  name: 'broken',
  parameters: { type: 'object', properties: {} },
  handler: () => Promise.reject(new Error('boom')),
};

/** A stage with every traced hook; its `shapeRequest` makes one aside call per turn. */
function probeStage(): TurnStage {
  const asked = new WeakSet<object>();
  return {
    name: 'probe',
    prepare: () => undefined,
    async shapeRequest(turn, request, shaping) {
      if (asked.has(turn) || !turn.route) return request;
      asked.add(turn);
      const text = 'summarise this';
      await shaping.callAside(turn.route, {
        messages: [{ role: 'user', content: [{ type: 'text', text }] }],
        maxTokens: 16,
      });
      return request;
    },
    settle: () => undefined,
  };
}

interface Rig {
  exporter: InMemorySpanExporter;
  tracing: TracingSetup;
  lines: Array<Record<string, unknown>>;
  /** Runs a turn to its end, or stops reading after `stopAfter` text deltas. */
  run(input: Partial<TurnInput> & { text: string; stopAfter?: number }): Promise<ReadableSpan[]>;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const rig of rigs.splice(0)) await rig.tracing.shutdown();
});

async function rig(options: { config?: ConfigInput; stages?: TurnStage[] } = {}): Promise<Rig> {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const logger = pino({ level: 'info' }, sink);
  const config = loadConfig({ object: { ...CONFIG, ...options.config } });
  const exporter = new InMemorySpanExporter();
  const tracing = await tracingSetup(config, logger, { exporter });
  const tools = new ToolRegistry();
  for (const tool of [...builtinTools(), gateTool(), brokenTool]) tools.register(tool);
  const runtime = createRuntime({
    config,
    providers: createProviders(config.providers),
    tools,
    logger,
    stages: options.stages ?? [],
    ...(tracing.tracer ? { tracer: tracing.tracer } : {}),
  });
  const made: Rig = {
    exporter,
    tracing,
    lines,
    async run({ text, stopAfter, ...overrides }) {
      const input: TurnInput = {
        requestId: 'req_1',
        principal,
        modelName: 'plain',
        messages: [{ role: 'user', content: [{ type: 'text', text }] }],
        options: {},
        signal: new AbortController().signal,
        ...overrides,
      };
      try {
        const prepared = await runtime.prepareTurn(input);
        let deltas = 0;
        for await (const event of prepared.events) {
          if (event.type === 'text-delta') deltas += 1;
          if (stopAfter !== undefined && deltas >= stopAfter) break;
        }
      } catch {
        // A refused turn still leaves its trace.
      }
      await tracing.flush();
      return exporter.getFinishedSpans();
    },
  };
  rigs.push(made);
  return made;
}

function only(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  expect(found.map((span) => span.name)).toEqual([name]);
  return found[0]!;
}

function named(spans: readonly ReadableSpan[], name: string): ReadableSpan[] {
  return spans.filter((span) => span.name === name);
}

const idOf = (span: ReadableSpan) => span.spanContext().spanId;
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const millis = (time: readonly [number, number]) => time[0] * 1000 + time[1] / 1e6;

describe('turn traces', () => {
  it('records a plain turn as a SERVER span with its stages and one CLIENT model call', async () => {
    const test = await rig({ stages: [probeStage()] });
    const spans = await test.run({
      text: 'tell me about rivers',
      options: { maxTokens: 64, temperature: 0.2 },
      buffered: false,
      conversationId: 'conv-7',
    });
    const turn = only(spans, 'chat plain');
    expect(turn.kind).toBe(SpanKind.SERVER);
    expect(turn.parentSpanContext).toBeUndefined();
    expect(turn.status.code).toBe(SpanStatusCode.UNSET);
    expect(turn.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'plain',
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.stream': true,
      'gen_ai.conversation.id': 'conv-7',
      'rampart.request.id': 'req_1',
      'rampart.route': 'plain',
      'gen_ai.provider.name': 'simulated',
      'gen_ai.system': 'simulated',
      'gen_ai.response.model': 'sim-a',
      'rampart.served_by': 'a/sim-a',
      'rampart.fallback.count': 0,
      'rampart.guard.verdicts': 0,
      'gen_ai.usage.input_tokens': 9,
      'gen_ai.usage.output_tokens': 46,
      'gen_ai.response.finish_reasons': ['stop'],
    });

    // Every other span of the turn is its child, in the same trace.
    const traceId = turn.spanContext().traceId;
    expect(spans.every((span) => span.spanContext().traceId === traceId)).toBe(true);
    const children = spans.filter((span) => span !== turn && parentOf(span) === idOf(turn));
    expect(children.map((span) => span.name).sort()).toEqual([
      'chat sim-a',
      'prepare probe',
      'prepare route',
      'settle completion-log',
      'settle probe',
      'shape_request probe',
    ]);
    expect(only(spans, 'prepare route').attributes).toEqual({
      'rampart.stage': 'route',
      'rampart.stage.hook': 'prepare',
    });

    const answer = named(spans, 'chat sim-a').find((span) => parentOf(span) === idOf(turn))!;
    expect(answer.kind).toBe(SpanKind.CLIENT);
    expect(answer.status.code).toBe(SpanStatusCode.UNSET);
    const { 'gen_ai.response.time_to_first_chunk': firstChunk, ...rest } = answer.attributes;
    expect(typeof firstChunk).toBe('number');
    expect(rest).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'simulated',
      'gen_ai.system': 'simulated',
      'gen_ai.request.model': 'sim-a',
      'gen_ai.request.max_tokens': 64,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.conversation.id': 'conv-7',
      'gen_ai.response.model': 'sim-a',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 5,
      'gen_ai.usage.output_tokens': 30,
      'rampart.route': 'plain',
      'rampart.target': 'a/sim-a',
      'rampart.fallback': false,
      'rampart.attempt': 1,
    });

    // The aside call a stage made while shaping the request sits under that stage's span.
    const shape = only(spans, 'shape_request probe');
    const aside = named(spans, 'chat sim-a').find((span) => parentOf(span) === idOf(shape))!;
    expect(aside.attributes).toMatchObject({
      'rampart.aside': true,
      'gen_ai.request.max_tokens': 16,
      'gen_ai.usage.output_tokens': 16,
      // The aside asked for fewer tokens than the answer has: cut at the limit.
      'gen_ai.response.finish_reasons': ['length'],
    });
    expect(named(spans, 'chat sim-a')).toHaveLength(2);

    // The turn's log lines carry its trace id; no span carries the conversation's text.
    expect(test.lines.at(-1)).toMatchObject({ msg: 'turn completed', traceId });
    expect(JSON.stringify(spans.map((span) => span.attributes))).not.toContain('rivers');
  });

  it('gives each attempt its own span: retries and the fallback that answered', async () => {
    const test = await rig();
    const spans = await test.run({ text: 'FAIL-A please', modelName: 'chain' });
    const turn = only(spans, 'chat chain');
    const failed = named(spans, 'chat sim-a');
    expect(failed.map((span) => span.attributes['rampart.attempt'])).toEqual([1, 2]);
    for (const span of failed) {
      expect(parentOf(span)).toBe(idOf(turn));
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes).toMatchObject({
        'error.type': 'RAMPART_UPSTREAM_UNAVAILABLE',
        'http.response.status_code': 503,
        'gen_ai.response.finish_reasons': ['error'],
        'rampart.target': 'a/sim-a',
        'rampart.fallback': false,
      });
      expect(span.attributes).not.toHaveProperty('gen_ai.response.model');
    }
    const served = only(spans, 'chat sim-b');
    expect(parentOf(served)).toBe(idOf(turn));
    expect(served.status.code).toBe(SpanStatusCode.UNSET);
    expect(served.attributes).toMatchObject({
      'gen_ai.request.model': 'sim-b',
      'gen_ai.response.model': 'sim-b',
      'gen_ai.response.finish_reasons': ['stop'],
      'rampart.target': 'b/sim-b',
      'rampart.fallback': true,
      'rampart.attempt': 1,
    });
    expect(served.attributes).not.toHaveProperty('error.type');
    // The attempts follow each other in time.
    const [first, second] = failed as [ReadableSpan, ReadableSpan];
    expect(millis(first.endTime)).toBeLessThanOrEqual(millis(second.startTime));
    expect(millis(second.endTime)).toBeLessThanOrEqual(millis(served.startTime));
    expect(turn.attributes).toMatchObject({
      'rampart.fallback.count': 1,
      'rampart.served_by': 'b/sim-b',
      'gen_ai.response.model': 'sim-b',
    });
  });

  it('names where an upstream is reached, and records a refused connection', async () => {
    const test = await rig();
    const spans = await test.run({ text: 'hello', modelName: 'refused' });
    const refused = named(spans, 'chat gpt-4o-mini');
    expect(refused).toHaveLength(2);
    expect(refused[0]!.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'gen_ai.system': 'openai',
      'server.address': '127.0.0.1',
      'server.port': 9,
      'error.type': 'RAMPART_UPSTREAM_UNAVAILABLE',
    });
    expect(only(spans, 'chat sim-b').attributes).not.toHaveProperty('server.address');
  });

  it('puts parallel tool calls side by side under the turn, with a failing one marked', async () => {
    const test = await rig();
    const text = 'call gate {} call gate {} call broken {}';
    const spans = await test.run({
      text,
      serverTools: { names: ['gate', 'broken'], concurrency: 4, timeoutMs: 5_000, maxSteps: 3 },
      sessionId: 'ses_1',
    });
    const turn = only(spans, 'chat plain');
    const gates = named(spans, 'execute_tool gate');
    expect(gates).toHaveLength(2);
    const broken = only(spans, 'execute_tool broken');
    for (const span of [...gates, broken]) {
      expect(parentOf(span)).toBe(idOf(turn));
      expect(span.kind).toBe(SpanKind.INTERNAL);
      expect(span.attributes['gen_ai.operation.name']).toBe('execute_tool');
      expect(span.attributes['gen_ai.tool.call.id']).toMatch(/^call_/);
    }
    const ids = new Set([...gates, broken].map((span) => span.attributes['gen_ai.tool.call.id']));
    expect(ids.size).toBe(3);
    // Each gate waited for the other to start: their spans overlap.
    const [one, two] = gates as [ReadableSpan, ReadableSpan];
    expect(millis(one.startTime)).toBeLessThan(millis(two.endTime));
    expect(millis(two.startTime)).toBeLessThan(millis(one.endTime));
    expect(gates[0]!.attributes).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'gate',
      'gen_ai.tool.call.id': gates[0]!.attributes['gen_ai.tool.call.id'],
      'rampart.tool.outcome': 'ok',
    });
    expect(gates[0]!.status.code).toBe(SpanStatusCode.UNSET);
    expect(broken.status.code).toBe(SpanStatusCode.ERROR);
    expect(broken.attributes).toMatchObject({
      'gen_ai.tool.name': 'broken',
      'error.type': 'RAMPART_TOOL_FAILED',
      'rampart.tool.outcome': 'error',
    });
    // Two model calls: the one that asked for the tools, the one that answered from them.
    const calls = named(spans, 'chat sim-a');
    expect(calls.map((span) => span.attributes['gen_ai.response.finish_reasons'])).toEqual([
      ['tool_calls'],
      ['stop'],
    ]);
    expect(turn.attributes['gen_ai.conversation.id']).toBe('ses_1');
  });

  it('continues the trace a client sent, and follows its sampling decision', async () => {
    const test = await rig();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = '00f067aa0ba902b7';
    const spans = await test.run({
      text: 'hi',
      traceContext: { traceparent: `00-${traceId}-${parent}-01`, tracestate: 'vendor=1' },
    });
    const turn = only(spans, 'chat plain');
    expect(turn.spanContext().traceId).toBe(traceId);
    expect(turn.parentSpanContext).toMatchObject({ spanId: parent, isRemote: true });
    expect(turn.spanContext().traceState?.get('vendor')).toBe('1');

    test.exporter.reset();
    const unsampled = await test.run({
      text: 'hi',
      traceContext: { traceparent: `00-${traceId}-${parent}-00` },
    });
    expect(unsampled).toEqual([]);
    expect(test.lines.at(-1)).not.toHaveProperty('traceId');

    // A context that is malformed, oversized or hostile starts a new trace; the turn runs.
    const hostile = [
      { traceparent: 'not-a-trace' },
      { traceparent: `00-${traceId}-${parent}-01${'x'.repeat(10_000)}` },
      { traceparent: `00-${'0'.repeat(32)}-${parent}-01` },
      {
        traceparent: `00-${traceId}-${parent}-01`,
        tracestate: Array.from({ length: 5_000 }, (_, index) => `k${index}=v`).join(','),
      },
    ];
    for (const traceContext of hostile) {
      test.exporter.reset();
      const spans = await test.run({ text: 'hi', traceContext });
      const fresh = only(spans, 'chat plain');
      expect(fresh.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
      if (traceContext.tracestate) {
        // A valid parent with an oversized tracestate: the parent is kept, the state capped
        // at the spec's 32 entries.
        expect(fresh.spanContext().traceId).toBe(traceId);
        const entries = fresh.spanContext().traceState?.serialize().split(',') ?? [];
        expect(entries.length).toBeLessThanOrEqual(32);
        continue;
      }
      expect(fresh.parentSpanContext).toBeUndefined();
      expect(fresh.spanContext().traceId).not.toBe(traceId);
    }
  });

  it('keeps concurrent turns apart: each trace holds only its own spans', async () => {
    const test = await rig();
    const tools = { names: ['calculator'], concurrency: 4, timeoutMs: 5_000, maxSteps: 3 };
    const texts = Array.from(
      { length: 6 },
      (_, index) => `call calculator {"expression":"${index}+1"}`,
    );
    const runs = texts.map((text, index) =>
      test.run({ text, serverTools: tools, requestId: `req_${index}` }),
    );
    await Promise.all(runs);
    await test.tracing.flush();
    const spans = test.exporter.getFinishedSpans();
    const turns = named(spans, 'chat plain');
    expect(turns.map((turn) => turn.attributes['rampart.request.id']).sort()).toEqual(
      texts.map((_, index) => `req_${index}`),
    );
    for (const turn of turns) {
      const own = spans.filter((span) => span.spanContext().traceId === turn.spanContext().traceId);
      expect(
        own.filter((span) => span !== turn).every((span) => parentOf(span) === idOf(turn)),
      ).toBe(true);
      expect(named(own, 'execute_tool calculator')).toHaveLength(1);
      expect(named(own, 'chat sim-a')).toHaveLength(2);
    }
  });

  it('keeps a made-up model name out of the span name and marks the refusal', async () => {
    const test = await rig();
    const spans = await test.run({ text: 'hi', modelName: 'no-such-model-x1' });
    const turn = only(spans, 'chat');
    expect(turn.attributes).toMatchObject({
      'gen_ai.request.model': 'no-such-model-x1',
      'error.type': 'RAMPART_UNKNOWN_MODEL',
    });
    // A client's bad request is answered, not a failure of the server.
    expect(turn.status.code).toBe(SpanStatusCode.UNSET);
    const route = only(spans, 'prepare route');
    expect(route.attributes['error.type']).toBe('RAMPART_UNKNOWN_MODEL');
    expect(parentOf(route)).toBe(idOf(turn));
  });

  it('closes the span of a model call its consumer walked away from', async () => {
    const test = await rig();
    // The edge stops reading after the first words: the stream is dropped mid-answer.
    const spans = await test.run({ text: 'tell me a long story', modelName: 'slow', stopAfter: 1 });
    const turn = only(spans, 'chat slow');
    const call = only(spans, 'chat sim-slow');
    expect(parentOf(call)).toBe(idOf(turn));
    expect(call.status.code).toBe(SpanStatusCode.ERROR);
    expect(call.attributes).toMatchObject({
      'rampart.interrupted': true,
      'rampart.target': 'slow/sim-slow',
      'error.type': 'RAMPART_CLIENT_CLOSED',
      'gen_ai.response.finish_reasons': ['error'],
    });
    expect(millis(call.endTime)).toBeLessThanOrEqual(millis(turn.endTime));
  });

  it('leaves quick stage hooks out by default, but never a slow or refusing one', async () => {
    const slow: TurnStage = { name: 'slow', prepare: () => sleep(80) };
    const quick: TurnStage = { name: 'quick', prepare: () => undefined, settle: () => undefined };
    const strict: TurnStage = {
      name: 'strict',
      prepare(turn) {
        const refused = JSON.stringify(turn.input.messages).includes('REFUSE');
        if (refused) throw new RampartError('RAMPART_INPUT_REJECTED', 'refused by the test');
      },
    };
    const test = await rig({
      config: { observe: { tracing: { enabled: true, stageSpanMinMs: 50 } } },
      stages: [slow, quick, strict],
    });
    const spans = await test.run({ text: 'hi' });
    expect(spans.map((span) => span.name).sort()).toEqual([
      'chat plain',
      'chat sim-a',
      'prepare slow',
    ]);
    const turn = only(spans, 'chat plain');
    const prepared = only(spans, 'prepare slow');
    expect(parentOf(prepared)).toBe(idOf(turn));
    // Back-dated to the hook's start: it covers the whole wait.
    expect(millis(prepared.endTime) - millis(prepared.startTime)).toBeGreaterThanOrEqual(50);
    expect(millis(prepared.startTime)).toBeGreaterThanOrEqual(millis(turn.startTime));

    test.exporter.reset();
    const refused = await test.run({ text: 'REFUSE this' });
    expect(refused.map((span) => span.name).sort()).toEqual([
      'chat plain',
      'prepare slow',
      'prepare strict',
    ]);
    expect(only(refused, 'prepare strict').attributes['error.type']).toBe('RAMPART_INPUT_REJECTED');
  });

  it('records nothing for turns the ratio leaves out', async () => {
    const test = await rig({ config: { observe: { tracing: { enabled: true, sampleRatio: 0 } } } });
    expect(await test.run({ text: 'hi' })).toEqual([]);
    expect(test.lines.at(-1)).toMatchObject({ msg: 'turn completed' });
    expect(test.lines.at(-1)).not.toHaveProperty('traceId');
  });
});
