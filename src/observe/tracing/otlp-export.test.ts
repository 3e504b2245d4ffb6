import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { readSse, startTestServer, type TestServer } from '../../app/test-support/harness.js';
import { parsePrometheusText, sampleValue } from '../../app/test-support/prometheus-text.js';
import { RampartError } from '../../core/errors.js';
import { newSession } from '../../app/test-support/session-client.js';
import {
  startOtlpReceiver,
  type OtlpReceiver,
  type ReceivedSpan,
} from './test-support/otlp-receiver.js';

const SERVER = 2;
const CLIENT = 3;
const INTERNAL = 1;

const CLIENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const CLIENT_SPAN = 'b7ad6b7169203331';

const opened: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of opened.splice(0).reverse()) await thing.close();
});

async function start(
  scheduledDelayMs = 20,
  protocol?: 'http/protobuf' | 'http/json',
): Promise<{ server: TestServer; receiver: OtlpReceiver; key: string }> {
  const receiver = await startOtlpReceiver();
  opened.push(receiver);
  const server = await startTestServer({
    config: {
      observe: {
        tracing: {
          enabled: true,
          endpoint: receiver.url,
          headers: { 'x-collector-key': 'collector-secret' },
          serviceName: 'rampart-e2e',
          stageSpanMinMs: 0,
          batch: { scheduledDelayMs },
          ...(protocol ? { protocol } : {}),
        },
      },
    },
  });
  opened.push(server);
  return { server, receiver, key: await server.key('alice') };
}

/** Waits until the receiver holds a span that matches, as exports arrive on their own. */
async function arrived(receiver: OtlpReceiver, match: (span: ReceivedSpan) => boolean) {
  for (let tries = 0; tries < 500; tries++) {
    const found = receiver.spans().find(match);
    if (found) return found;
    await sleep(20);
  }
  throw new Error('the span never reached the collector');
}

function childrenOf(spans: readonly ReceivedSpan[], parent: ReceivedSpan) {
  return spans.filter((span) => span.parentSpanId === parent.spanId);
}

describe('OTLP/HTTP export', () => {
  it.each([
    ['http/protobuf', 'application/x-protobuf'],
    ['http/json', 'application/json'],
  ] as const)(
    'exports the trace of a chat completion over %s, continuing the client trace',
    async (protocol, contentType) => {
      const { server, receiver, key } = await start(20, protocol);
      const response = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`,
        },
        body: JSON.stringify({
          model: 'rampart-sim-1',
          max_tokens: 50,
          messages: [{ role: 'user', content: 'a secret plan about otters' }],
        }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-rampart-trace-id')).toBe(CLIENT_TRACE);
      const turn = await arrived(receiver, (span) => span.kind === SERVER);
      expect(turn.name).toBe('chat rampart-sim-1');
      expect(turn.traceId).toBe(CLIENT_TRACE);
      expect(turn.parentSpanId).toBe(CLIENT_SPAN);
      expect(turn.resource).toMatchObject({
        'service.name': 'rampart-e2e',
        'service.version': '0.1.0',
        'telemetry.sdk.language': 'nodejs',
      });
      expect(turn.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'rampart-sim-1',
        'gen_ai.request.max_tokens': 50,
        'gen_ai.provider.name': 'simulated',
        'gen_ai.response.model': 'rampart-sim-1',
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.output_tokens': 30,
        'rampart.route': 'rampart-sim-1',
        'rampart.request.id': expect.any(String),
        'rampart.guard.verdicts': 0,
        'rampart.fallback.count': 0,
        'rampart.cost.usd': 0,
        'http.request.method': 'POST',
        'http.route': '/v1/chat/completions',
        'http.response.status_code': 200,
      });

      // Turn spans go out once the turn has settled: everything under it is in the same export
      // or an earlier one.
      const spans = receiver.spans().filter((span) => span.traceId === CLIENT_TRACE);
      const children = childrenOf(spans, turn);
      expect(children).toHaveLength(spans.length - 1);
      const names = children.map((span) => span.name);
      for (const name of [
        'prepare admission',
        'prepare route',
        'prepare guard-input',
        'before_step budget',
        'before_model_call admission',
        'settle accounting',
        'settle completion-log',
      ]) {
        expect(names).toContain(name);
      }
      const call = children.filter((span) => span.kind === CLIENT);
      expect(call.map((span) => span.name)).toEqual(['chat rampart-sim-1']);
      expect(call[0]!.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'simulated',
        'gen_ai.request.model': 'rampart-sim-1',
        'gen_ai.response.model': 'rampart-sim-1',
        'gen_ai.request.max_tokens': 50,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.output_tokens': 30,
        'rampart.attempt': 1,
      });
      expect(
        children.filter((span) => span.kind !== CLIENT).every((s) => s.kind === INTERNAL),
      ).toBe(true);

      // The configured headers went with every export; no span holds the conversation's text.
      for (const received of receiver.exports) {
        expect(received.headers['x-collector-key']).toBe('collector-secret');
        expect(received.headers['content-type']).toBe(contentType);
      }
      expect(JSON.stringify(receiver.spans())).not.toContain('otters');

      // The instance's metrics count what the collector took, once its answer is back.
      const spanCount = async (outcome: string) => {
        const samples = parsePrometheusText(await (await fetch(`${server.url}/metrics`)).text());
        return sampleValue(samples, 'rampart_trace_spans_total', { outcome });
      };
      for (let tries = 0; tries < 100; tries++) {
        if ((await spanCount('exported')) === receiver.spans().length) break;
        await sleep(20);
      }
      expect(await spanCount('exported')).toBe(receiver.spans().length);
      expect(await spanCount('queued')).toBe(receiver.spans().length);
      expect(await spanCount('failed')).toBe(0);
    },
  );

  it('names the trace of a turn refused before it began', async () => {
    const { server, receiver, key } = await start();
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(404);
    const traceId = response.headers.get('x-rampart-trace-id');
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const turn = await arrived(receiver, (span) => span.kind === SERVER);
    expect(turn.traceId).toBe(traceId);
    expect(turn.attributes['error.type']).toBe('RAMPART_UNKNOWN_MODEL');
    expect(turn.attributes['http.response.status_code']).toBe(404);
  });

  it("never names another request's trace, even when a stage refuses with one shared error", async () => {
    const receiver = await startOtlpReceiver();
    opened.push(receiver);
    // A plug-in stage that refuses every turn with the same error object.
    const refusal = new RampartError('RAMPART_FORBIDDEN', 'Closed for maintenance.');
    const server = await startTestServer({
      config: { observe: { tracing: { enabled: true, endpoint: receiver.url } } },
      stages: [
        {
          name: 'maintenance',
          prepare() {
            throw refusal;
          },
        },
      ],
    });
    opened.push(server);
    const key = await server.key('alice');
    const ask = (flags: string) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          traceparent: `00-${CLIENT_TRACE}-${CLIENT_SPAN}-${flags}`,
        },
        body: JSON.stringify({
          model: 'rampart-sim-1',
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
    const traced = await ask('01');
    expect(traced.status).toBe(403);
    expect(traced.headers.get('x-rampart-trace-id')).toBe(CLIENT_TRACE);
    // The next request is not sampled: it names no trace, not the one before it.
    const untraced = await ask('00');
    expect(untraced.status).toBe(403);
    expect(untraced.headers.get('x-rampart-trace-id')).toBeNull();
  });

  it('exports a session turn with its tool calls over the default protobuf, and flushes what is left on close', async () => {
    // Spans wait a minute for their batch: only the flush on close can send them in time.
    const { server, receiver, key } = await start(60_000);
    const session = await newSession(server, key);
    const traceparent = `00-${CLIENT_TRACE}-${CLIENT_SPAN}-01`;
    const response = await fetch(`${server.url}/v1/sessions/${session}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', traceparent },
      body: JSON.stringify({
        content: 'call calculator {"expression":"2+3"} call current_time {}',
        stream: true,
      }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-rampart-trace-id')).toBe(CLIENT_TRACE);
    const events = await readSse(response);
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ finish_reason: 'stop' });
    expect(receiver.requests).toBe(0);
    await server.close();
    expect(receiver.exports[0]?.headers['content-type']).toBe('application/x-protobuf');
    opened.splice(opened.indexOf(server), 1);
    const spans = receiver.spans();
    const turn = spans.find((span) => span.kind === SERVER)!;
    expect(turn.traceId).toBe(CLIENT_TRACE);
    expect(turn.attributes['gen_ai.conversation.id']).toBe(session);
    // The route template, never the session's id.
    expect(turn.attributes['http.route']).toBe('/v1/sessions/:id/messages');
    const tools = childrenOf(spans, turn).filter((span) => span.name.startsWith('execute_tool'));
    expect(tools.map((span) => span.name).sort()).toEqual([
      'execute_tool calculator',
      'execute_tool current_time',
    ]);
    expect(tools.map((span) => span.attributes['rampart.tool.outcome'])).toEqual(['ok', 'ok']);
    const calls = childrenOf(spans, turn).filter((span) => span.kind === CLIENT);
    expect(calls.map((span) => span.attributes['gen_ai.response.finish_reasons'])).toEqual([
      ['tool_calls'],
      ['stop'],
    ]);
  });
});
