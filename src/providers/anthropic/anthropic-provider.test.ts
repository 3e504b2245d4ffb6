import { afterEach, describe, expect, it } from 'vitest';
import type { ModelEvent, ModelRequest } from '../../core/index.js';
import {
  anthropicBytes,
  blockStop,
  messageStart,
  OVERLOADED_BEFORE_CONTENT,
  PARALLEL_TOOLS_STREAM,
  TEXT_STREAM,
  textDelta,
  textStart,
} from '../../protocol/anthropic/test-support/anthropic-fixtures.js';
import {
  separateReads,
  startScriptServer,
  type ResponseScript,
  type ScriptServer,
} from '../http/test-support/script-server.js';
import type { Provider } from '../provider.js';
import { createAnthropicProvider, type AnthropicProviderOptions } from './anthropic-provider.js';

const request: ModelRequest = {
  model: 'claude-test',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: [{ type: 'text', text: 'Hello' }] },
  ],
};

let server: ScriptServer | undefined;
let provider: Provider | undefined;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = undefined;
  server = undefined;
});

async function setUp(script: ResponseScript, options: Partial<AnthropicProviderOptions> = {}) {
  server = await startScriptServer(script);
  provider = createAnthropicProvider({ name: 'claude', baseUrl: server.origin, ...options });
  return { server, provider };
}

async function collect(events: AsyncIterable<ModelEvent>): Promise<ModelEvent[]> {
  const out: ModelEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

function finalError(events: ModelEvent[]) {
  const last = events.at(-1);
  if (last?.type !== 'error') throw new Error(`expected an error event, got ${last?.type}`);
  return last;
}

const errorBody = (type: string, message: string) =>
  JSON.stringify({ type: 'error', error: { type, message } });

const wrongType =
  'Upstream response has the wrong content type: expected text/event-stream or application/json';

describe('anthropic provider', () => {
  it('posts a streaming Messages request with the Anthropic headers and relays text', async () => {
    const { server, provider } = await setUp(
      { steps: [anthropicBytes(TEXT_STREAM)] },
      { apiKey: 'sk-test', defaultMaxTokens: 333 },
    );
    const events = await collect(provider.stream(request));

    expect(events).toEqual([
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: ' there' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 12 } },
      { type: 'finish', reason: 'stop' },
    ]);
    const [sent] = server.requests;
    expect(sent?.method).toBe('POST');
    expect(sent?.url).toBe('/v1/messages');
    expect(sent?.headers['x-api-key']).toBe('sk-test');
    expect(sent?.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      model: 'claude-test',
      max_tokens: 333,
      system: 'Be brief.',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      stream: true,
    });
    expect(provider.kind).toBe('anthropic');
    expect(provider.simulated).toBe(false);
  });

  it('sends no key header without a key, and honours version, headers and a /v1 base URL', async () => {
    server = await startScriptServer({ steps: [anthropicBytes(TEXT_STREAM)] });
    provider = createAnthropicProvider({
      name: 'claude',
      baseUrl: `${server.origin}/v1/`,
      version: '2099-01-01',
      headers: { 'anthropic-beta': 'feature-x' },
    });
    await collect(provider.stream(request));
    const headers = server.requests[0]?.headers;
    expect(server.requests[0]?.url).toBe('/v1/messages');
    expect(headers?.['x-api-key']).toBeUndefined();
    expect(headers?.['anthropic-version']).toBe('2099-01-01');
    expect(headers?.['anthropic-beta']).toBe('feature-x');
  });

  it('keeps two parallel tool_use blocks apart across split reads (P08)', async () => {
    const bytes = anthropicBytes(PARALLEL_TOOLS_STREAM);
    const pieces = bytes.match(/[\s\S]{1,29}/g) ?? [];
    const { provider } = await setUp({ steps: separateReads(pieces, 1) });
    const events = await collect(provider.stream(request));

    const ends = events.filter((event) => event.type === 'tool-call-end');
    expect(ends).toEqual([
      {
        type: 'tool-call-end',
        index: 0,
        id: 'toolu_A',
        name: 'weather',
        arguments: '{"city": "A"}',
      },
      {
        type: 'tool-call-end',
        index: 1,
        id: 'toolu_B',
        name: 'weather',
        arguments: '{"city": "B"}',
      },
    ]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('counts output tokens once, from the last cumulative message_delta', async () => {
    const stream = anthropicBytes([
      messageStart({ input_tokens: 100, cache_read_input_tokens: 50 }),
      textStart(0),
      textDelta(0, 'a'),
      blockStop(0),
      {
        event: 'message_delta',
        data: '{"type":"message_delta","delta":{"stop_reason":null},"usage":{"output_tokens":5}}',
      },
      {
        event: 'message_delta',
        data: '{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}',
      },
      { event: 'message_stop', data: '{"type":"message_stop"}' },
    ]);
    const { provider } = await setUp({ steps: [stream] });
    const usage = (await collect(provider.stream(request))).filter((e) => e.type === 'usage');
    expect(usage).toEqual([
      { type: 'usage', usage: { inputTokens: 100, outputTokens: 9, cachedInputTokens: 50 } },
    ]);
  });

  it('reports an in-band overload before any content as retryable and pre-content (P24)', async () => {
    const { provider } = await setUp({ steps: [anthropicBytes(OVERLOADED_BEFORE_CONTENT)] });
    const events = await collect(provider.stream(request));
    const { error, beforeContent } = finalError(events);
    expect(error.code).toBe('RAMPART_UPSTREAM_UNAVAILABLE');
    expect(error.retryable).toBe(true);
    expect(beforeContent).toBe(true);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('reports a connection cut mid-stream as truncated after content (P23)', async () => {
    const head = anthropicBytes([messageStart(), textStart(0), textDelta(0, 'Half an')]);
    const { provider } = await setUp({ steps: [head, { wait: 5 }], then: 'cut' });
    const events = await collect(provider.stream(request));
    expect(events[0]).toEqual({ type: 'text-delta', text: 'Half an' });
    const { error, beforeContent } = finalError(events);
    expect(error.code).toBe('RAMPART_UPSTREAM_STREAM_TRUNCATED');
    expect(beforeContent).toBe(false);
    expect(events.some((event) => event.type === 'finish')).toBe(false);
  });

  it('reports a body that ends cleanly without message_stop as truncated (P23)', async () => {
    const head = anthropicBytes([messageStart(), textStart(0), textDelta(0, 'Half')]);
    const { provider } = await setUp({ steps: [head], then: 'end' });
    const { error } = finalError(await collect(provider.stream(request)));
    expect(error.code).toBe('RAMPART_UPSTREAM_STREAM_TRUNCATED');
  });

  it('maps 429 with retry-after to a rate limit carrying the wait', async () => {
    const { provider } = await setUp({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '7' },
      steps: [errorBody('rate_limit_error', 'Slow down')],
    });
    const events = await collect(provider.stream(request));
    expect(events).toHaveLength(1);
    const { error, beforeContent } = finalError(events);
    expect(error.code).toBe('RAMPART_UPSTREAM_RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(7);
    expect(error.upstreamStatus).toBe(429);
    expect(error.upstreamText).toContain('Slow down');
    expect(beforeContent).toBe(true);
  });

  it('maps 529 to upstream unavailable', async () => {
    const { provider } = await setUp({
      status: 529,
      headers: { 'content-type': 'application/json' },
      steps: [errorBody('overloaded_error', 'Overloaded')],
    });
    const { error, beforeContent } = finalError(await collect(provider.stream(request)));
    expect(error.code).toBe('RAMPART_UPSTREAM_UNAVAILABLE');
    expect(error.upstreamStatus).toBe(529);
    expect(error.upstreamText).toContain('Overloaded');
    expect(beforeContent).toBe(true);
  });

  it('ends with RAMPART_CLIENT_CLOSED and closes the socket when the signal aborts', async () => {
    const head = anthropicBytes([messageStart(), textStart(0), textDelta(0, 'Hi')]);
    const { server, provider } = await setUp({ steps: [head], then: 'hang' });
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    for await (const event of provider.stream(request, { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    const { error, beforeContent } = finalError(events);
    expect(error.code).toBe('RAMPART_CLIENT_CLOSED');
    expect(beforeContent).toBe(false);
    await server.requests[0]?.closed;
  });

  it('makes no call when the signal is already aborted', async () => {
    const { server, provider } = await setUp({ steps: [anthropicBytes(TEXT_STREAM)] });
    const controller = new AbortController();
    controller.abort();
    const events = await collect(provider.stream(request, { signal: controller.signal }));
    expect(finalError(events).error.code).toBe('RAMPART_CLIENT_CLOSED');
    expect(server.requests).toHaveLength(0);
  });

  it('sends invalid and deeply nested tool arguments from history as marker inputs', async () => {
    const { server, provider } = await setUp({ steps: [anthropicBytes(TEXT_STREAM)] });
    const deep = '{"a":'.repeat(4999) + '{}' + '}'.repeat(4999);
    const history: ModelRequest = {
      model: 'claude-test',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'x' }] },
        {
          role: 'assistant',
          content: [],
          toolCalls: [
            { id: 'c1', name: 'calc', arguments: '{"expression": 1+}' },
            { id: 'c2', name: 'calc', arguments: deep },
          ],
        },
        { role: 'tool', toolCallId: 'c1', content: 'invalid arguments', isError: true },
        { role: 'tool', toolCallId: 'c2', content: 'invalid arguments', isError: true },
        { role: 'user', content: [{ type: 'text', text: 'try again' }] },
      ],
    };
    const events = await collect(provider.stream(history));
    expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop' });
    const sent = JSON.parse(server.requests[0]?.body ?? '') as { messages: unknown[] };
    expect(sent.messages[1]).toEqual({
      role: 'assistant',
      content: [
        {
          type: 'tool_use',
          id: 'c1',
          name: 'calc',
          input: { _invalid_arguments: '{"expression": 1+}' },
        },
        {
          type: 'tool_use',
          id: 'c2',
          name: 'calc',
          input: { _invalid_arguments: deep.slice(0, 4096), _original_length: deep.length },
        },
      ],
    });
  });

  it('times out a stream that goes quiet past the idle timeout', async () => {
    const head = anthropicBytes([messageStart(), textStart(0), textDelta(0, 'Hi')]);
    const { provider } = await setUp({ steps: [head], then: 'hang' }, { timeouts: { idleMs: 80 } });
    const events = await collect(provider.stream(request));
    const { error, beforeContent } = finalError(events);
    expect(error.code).toBe('RAMPART_UPSTREAM_TIMEOUT');
    expect(beforeContent).toBe(false);
  });

  it('reports an unreachable upstream as unavailable', async () => {
    const closed = await startScriptServer({});
    const origin = closed.origin;
    await closed.close();
    provider = createAnthropicProvider({ name: 'claude', baseUrl: origin });
    const { error, beforeContent } = finalError(await collect(provider.stream(request)));
    expect(error.code).toBe('RAMPART_UPSTREAM_UNAVAILABLE');
    expect(beforeContent).toBe(true);
  });

  it('decodes a whole JSON message when the upstream does not stream', async () => {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [{ type: 'text', text: 'Whole' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 1 },
    };
    const { provider } = await setUp({
      headers: { 'content-type': 'application/json' },
      steps: [JSON.stringify(message)],
    });
    expect(await collect(provider.stream(request))).toEqual([
      { type: 'text-delta', text: 'Whole' },
      { type: 'usage', usage: { inputTokens: 3, outputTokens: 1 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('refuses an event-stream line past 16 MiB and closes the upstream connection', async () => {
    const head = anthropicBytes([messageStart(), textStart(0), textDelta(0, 'Hi')]);
    const mebibyte = 'x'.repeat(1024 * 1024);
    const { server, provider } = await setUp({
      steps: separateReads([head, 'data: ', ...Array<string>(20).fill(mebibyte)], 1),
      then: 'hang',
    });
    const events = await collect(provider.stream(request));
    expect(events[0]).toEqual({ type: 'text-delta', text: 'Hi' });
    const { error, beforeContent } = finalError(events);
    expect(error.code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
    expect(error.message).toContain('limit of 16777216 characters');
    expect(beforeContent).toBe(false);
    await server.requests[0]?.closed;
  });

  it('reports a 200 HTML page as a bad response and closes the connection', async () => {
    const { server, provider } = await setUp({
      headers: { 'content-type': 'text/html; charset=utf-8' },
      steps: ['<html><body>Sign in</body></html>'],
      then: 'hang',
    });
    const events = await collect(provider.stream(request));
    expect(events).toHaveLength(1);
    const { error, beforeContent } = finalError(events);
    expect(error.code).toBe('RAMPART_UPSTREAM_BAD_RESPONSE');
    expect(error.message).toBe(`${wrongType}, got text/html`);
    expect(beforeContent).toBe(true);
    await server.requests[0]?.closed;
  });
});
