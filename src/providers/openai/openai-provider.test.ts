import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { afterEach, describe, expect, it } from 'vitest';

import { createLogger, type ModelEvent, type ModelRequest } from '../../core/index.js';
import {
  separateReads,
  startScriptServer,
  type ResponseScript,
  type ScriptServer,
} from '../http/test-support/script-server.js';
import type { Provider } from '../provider.js';
import { createOpenAIProvider, type OpenAIProviderOptions } from './openai-provider.js';
import { chunk, roleChunk, sse, toolCall, usageChunk } from './test-support/openai-recording.js';

let server: ScriptServer | undefined;
let provider: Provider | undefined;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = undefined;
  server = undefined;
});

const request: ModelRequest = {
  model: 'gpt-test',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello?' }] }],
  maxTokens: 64,
};

async function setup(script: ResponseScript, options: Partial<OpenAIProviderOptions> = {}) {
  server = await startScriptServer(script);
  provider = createOpenAIProvider({
    name: 'test-openai',
    baseUrl: `${server.origin}/v1`,
    apiKey: 'sk-test',
    ...options,
  });
  return { server, provider };
}

async function run(target: Provider, signal?: AbortSignal): Promise<ModelEvent[]> {
  const events: ModelEvent[] = [];
  for await (const event of target.stream(request, { signal })) events.push(event);
  return events;
}

/** The stream's last event, with an error reduced to the fields a test checks. */
function ending(events: ModelEvent[]) {
  const last = events.at(-1);
  if (last?.type !== 'error') return last;
  const { code, upstreamStatus, retryAfterSeconds } = last.error;
  return {
    type: 'error',
    code,
    upstreamStatus,
    retryAfterSeconds,
    beforeContent: last.beforeContent,
  };
}

const texts = (events: ModelEvent[]) =>
  events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : []));

describe('createOpenAIProvider', () => {
  it('P01: streams text split across reads, asking upstream for a stream with usage', async () => {
    const big = 'x'.repeat(40 * 1024);
    const bytes = sse(
      [
        roleChunk,
        chunk({ content: 'Hello' }),
        chunk({ content: big }),
        chunk({}, 'stop'),
        usageChunk(9, 3),
        '[DONE]',
      ],
      '\r\n',
    );
    const middle = bytes.indexOf(big) + 20_000;
    const crlf = bytes.indexOf('\r\n') + 1;
    const pieces = [bytes.slice(0, crlf), bytes.slice(crlf, middle), bytes.slice(middle)];
    const { server, provider } = await setup({ steps: separateReads(pieces) });

    const events = await run(provider);

    expect(texts(events)).toEqual(['Hello', big]);
    expect(events.slice(-2)).toEqual([
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 3 } },
      { type: 'finish', reason: 'stop' },
    ]);
    const [recorded] = server.requests;
    expect(recorded?.url).toBe('/v1/chat/completions');
    expect(recorded?.headers.authorization).toBe('Bearer sk-test');
    expect(recorded?.headers.accept).toBe('text/event-stream');
    expect(JSON.parse(recorded!.body)).toEqual({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'Hello?' }],
      max_tokens: 64,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends no Authorization header without a key, and adds configured headers', async () => {
    const body = sse([chunk({ content: 'ok' }, 'stop'), '[DONE]']);
    const { server } = await setup({ steps: [body] });
    provider = createOpenAIProvider({
      name: 'local',
      baseUrl: `${server.origin}/v1`,
      headers: { 'x-org': 'acme' },
    });
    expect(ending(await run(provider))).toEqual({ type: 'finish', reason: 'stop' });
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(server.requests[0]?.headers['x-org']).toBe('acme');
  });

  it('assembles parallel tool calls, including two calls at the same index', async () => {
    const body = sse([
      chunk({
        role: 'assistant',
        content: null,
        tool_calls: [toolCall(0, { id: 'call_A', name: 'weather', args: '' })],
      }),
      chunk({ tool_calls: [toolCall(0, { args: '{"city":' })] }),
      chunk({ tool_calls: [toolCall(1, { id: 'call_B', name: 'time', args: '{}' })] }),
      chunk({ tool_calls: [toolCall(0, { args: '"A"}' })] }),
      chunk({ tool_calls: [toolCall(0, { id: 'call_C', name: 'weather', args: '{"city":"C"}' })] }),
      chunk({}, 'tool_calls'),
      usageChunk(20, 30),
      '[DONE]',
    ]);
    const { provider } = await setup({ steps: separateReads(body.split(/(?<=\n\n)/)) });
    const events = await run(provider);
    const ends = events.filter((event) => event.type === 'tool-call-end');
    expect(ends).toEqual([
      { type: 'tool-call-end', index: 0, id: 'call_A', name: 'weather', arguments: '{"city":"A"}' },
      { type: 'tool-call-end', index: 1, id: 'call_B', name: 'time', arguments: '{}' },
      { type: 'tool-call-end', index: 2, id: 'call_C', name: 'weather', arguments: '{"city":"C"}' },
    ]);
    expect(ending(events)).toEqual({ type: 'finish', reason: 'tool-calls' });
  });

  it('P10, P11: passes malformed and truncated arguments through verbatim', async () => {
    const body = sse([
      chunk({ tool_calls: [toolCall(0, { id: 'c1', name: 'grep', args: '{"pattern": "' })] }),
      chunk({ tool_calls: [toolCall(0, { args: '\\d+\\.\\d+' })] }),
      chunk({ tool_calls: [toolCall(0, { args: '"}' })] }),
      chunk({ tool_calls: [toolCall(1, { id: 'c2', name: 'f', args: '' })] }),
      chunk({ tool_calls: [toolCall(1, { args: '{}' })] }),
      chunk({ tool_calls: [toolCall(1, { args: '""' })] }),
      chunk({
        tool_calls: [
          toolCall(2, { id: 'c3', name: 'weather', args: '{"city":"Paris","units":"metr' }),
        ],
      }),
      chunk({}, 'length'),
      '[DONE]',
    ]);
    const { provider } = await setup({ steps: [body] });
    const events = await run(provider);
    const argumentsOf = events.flatMap((event) =>
      event.type === 'tool-call-end' ? [event.arguments] : [],
    );
    expect(argumentsOf).toEqual([
      '{"pattern": "\\d+\\.\\d+"}',
      '{}""',
      '{"city":"Paris","units":"metr',
    ]);
    expect(ending(events)).toEqual({ type: 'finish', reason: 'length' });
  });

  it('P20: splits cached tokens out of the prompt tokens', async () => {
    const body = sse([
      chunk({ content: 'Hi' }),
      chunk({}, 'stop'),
      usageChunk(20000, 900, 16000),
      '[DONE]',
    ]);
    const { provider } = await setup({ steps: [body] });
    const events = await run(provider);
    expect(events.find((event) => event.type === 'usage')).toEqual({
      type: 'usage',
      usage: { inputTokens: 4000, outputTokens: 900, cachedInputTokens: 16000 },
    });
  });

  it('P04: skips comments and a non-JSON data payload, and logs only its size', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(line: Buffer, _encoding, callback) {
        lines.push(line.toString());
        callback();
      },
    });
    const body = [
      ': PROCESSING\n\n:\n\n: ping - 2024-01-01\n\n',
      'data: : keepalive\n\n',
      sse([chunk({ content: 'Hi' }), chunk({}, 'stop'), '[DONE]']),
    ];
    await setup({ steps: separateReads(body) }, { logger: createLogger({ destination }) });
    const events = await run(provider!);
    expect(texts(events)).toEqual(['Hi']);
    expect(ending(events)).toEqual({ type: 'finish', reason: 'stop' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ provider: 'test-openai', payloadLength: 11 });
    expect(lines[0]).not.toContain('keepalive');
  });

  it('P03: reads data without a space after the colon', async () => {
    const body =
      'data:{"choices":[{"delta":{"content":"Hello"},"index":0}]}\n\ndata:{"choices":[{"delta":{},"index":0,"finish_reason":"stop"}]}\n\ndata:[DONE]\n\n';
    const { provider } = await setup({ steps: [body] });
    const events = await run(provider);
    expect(events).toEqual([
      { type: 'text-delta', text: 'Hello' },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('decodes a whole JSON completion from a server that ignores stream', async () => {
    const completion = {
      id: 'chatcmpl-1',
      object: 'chat.completion',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'Whole' }, finish_reason: 'stop' },
      ],
      usage: { prompt_tokens: 2, completion_tokens: 1, total_tokens: 3 },
    };
    const { provider } = await setup({
      headers: { 'content-type': 'application/json' },
      steps: [JSON.stringify(completion)],
    });
    expect(await run(provider)).toEqual([
      { type: 'text-delta', text: 'Whole' },
      { type: 'usage', usage: { inputTokens: 2, outputTokens: 1 } },
      { type: 'finish', reason: 'stop' },
    ]);
  });

  it('turns an in-band error into an error event', async () => {
    const error = {
      error: {
        message: 'Rate limit reached for requests',
        type: 'requests',
        code: 'rate_limit_exceeded',
      },
    };
    const { provider } = await setup({ steps: [sse([roleChunk, JSON.stringify(error)])] });
    expect(ending(await run(provider))).toMatchObject({
      type: 'error',
      code: 'RAMPART_UPSTREAM_RATE_LIMITED',
      beforeContent: true,
    });
  });
});

describe('createOpenAIProvider failures', () => {
  it('reports a 429 with Retry-After as a rate limit', async () => {
    const body = JSON.stringify({
      error: { message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' },
    });
    const { provider } = await setup({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '20' },
      steps: [body],
    });
    const events = await run(provider);
    expect(events).toHaveLength(1);
    expect(ending(events)).toEqual({
      type: 'error',
      code: 'RAMPART_UPSTREAM_RATE_LIMITED',
      upstreamStatus: 429,
      retryAfterSeconds: 20,
      beforeContent: true,
    });
    const [event] = events;
    expect(event?.type === 'error' && event.error.message).toBe(
      'Upstream returned HTTP 429: Rate limit reached',
    );
  });

  it('reports a 500 as an upstream error', async () => {
    const { provider } = await setup({ status: 500, steps: ['{"error":{"message":"boom"}}'] });
    expect(ending(await run(provider))).toMatchObject({
      type: 'error',
      code: 'RAMPART_UPSTREAM_ERROR',
      upstreamStatus: 500,
      beforeContent: true,
    });
  });

  it('reports a 401 as rejected', async () => {
    const { provider } = await setup({ status: 401, steps: ['{"error":{"message":"bad key"}}'] });
    expect(ending(await run(provider))).toMatchObject({
      code: 'RAMPART_UPSTREAM_REJECTED',
      upstreamStatus: 401,
    });
  });

  it('reports a refused connection as unavailable', async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    provider = createOpenAIProvider({ name: 'down', baseUrl: `http://127.0.0.1:${port}/v1` });
    expect(ending(await run(provider))).toMatchObject({
      type: 'error',
      code: 'RAMPART_UPSTREAM_UNAVAILABLE',
      beforeContent: true,
    });
  });

  it('P39: fires the first-byte timeout when the upstream hangs before headers', async () => {
    const { provider } = await setup(
      { hangBeforeHeaders: true },
      { timeouts: { firstByteMs: 300 } },
    );
    expect(ending(await run(provider))).toMatchObject({
      type: 'error',
      code: 'RAMPART_UPSTREAM_TIMEOUT',
      beforeContent: true,
    });
  });

  it('P39: completes a stream that sends every 300 ms for 2 s with a 1 s idle timeout', async () => {
    const payloads = Array.from({ length: 7 }, (_, index) => sse([chunk({ content: `${index}` })]));
    const steps = separateReads(
      [...payloads, sse([chunk({}, 'stop'), usageChunk(1, 7), '[DONE]'])],
      300,
    );
    const { provider } = await setup({ steps }, { timeouts: { idleMs: 1000 } });
    const started = Date.now();
    const events = await run(provider);
    expect(texts(events).join('')).toBe('0123456');
    expect(ending(events)).toEqual({ type: 'finish', reason: 'stop' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('P39: ends with a timeout error when the stream goes quiet after the first event', async () => {
    const { provider } = await setup(
      { steps: [sse([roleChunk, chunk({ content: 'Hel' })])], then: 'hang' },
      { timeouts: { idleMs: 300 } },
    );
    const events = await run(provider);
    expect(texts(events)).toEqual(['Hel']);
    expect(ending(events)).toMatchObject({
      type: 'error',
      code: 'RAMPART_UPSTREAM_TIMEOUT',
      beforeContent: false,
    });
  });

  it('P23: a connection cut mid-stream ends with a truncated error', async () => {
    const { provider } = await setup({
      steps: separateReads([sse([roleChunk, chunk({ content: 'Half' })]), 'data: {"cho']),
      then: 'cut',
    });
    const events = await run(provider);
    expect(texts(events)).toEqual(['Half']);
    expect(ending(events)).toMatchObject({
      type: 'error',
      code: 'RAMPART_UPSTREAM_STREAM_TRUNCATED',
      beforeContent: false,
    });
  });

  it('P23: a body that ends cleanly without finish_reason or [DONE] is truncated', async () => {
    const { provider } = await setup({ steps: [sse([roleChunk])] });
    const events = await run(provider);
    expect(events).toHaveLength(1);
    expect(ending(events)).toMatchObject({
      code: 'RAMPART_UPSTREAM_STREAM_TRUNCATED',
      beforeContent: true,
    });
  });

  it('ends with client-closed on abort, and the upstream sees its socket close', async () => {
    const { server, provider } = await setup({
      steps: [sse([roleChunk, chunk({ content: 'Hel' })])],
      then: 'hang',
    });
    const controller = new AbortController();
    const events: ModelEvent[] = [];
    for await (const event of provider.stream(request, { signal: controller.signal })) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    expect(texts(events)).toEqual(['Hel']);
    expect(ending(events)).toMatchObject({
      type: 'error',
      code: 'RAMPART_CLIENT_CLOSED',
      beforeContent: false,
    });
    await server.requests[0]!.closed;
  });

  it('ends with client-closed when aborted before the headers', async () => {
    const { server, provider } = await setup({ hangBeforeHeaders: true });
    const controller = new AbortController();
    const pending = run(provider, controller.signal);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(ending(await pending)).toMatchObject({
      code: 'RAMPART_CLIENT_CLOSED',
      beforeContent: true,
    });
    await server.requests[0]!.closed;
  });

  it('ends with client-closed for a signal aborted before the call', async () => {
    const { server, provider } = await setup({ steps: ['unused'] });
    expect(ending(await run(provider, AbortSignal.abort()))).toMatchObject({
      code: 'RAMPART_CLIENT_CLOSED',
    });
    expect(server.requests).toHaveLength(0);
  });

  it('reports itself as a real openai provider', async () => {
    const { provider } = await setup({ steps: [] });
    expect([provider.name, provider.kind, provider.simulated]).toEqual([
      'test-openai',
      'openai',
      false,
    ]);
  });
});
