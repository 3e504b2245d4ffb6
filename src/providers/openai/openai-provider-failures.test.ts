import { createServer as createNetServer, type AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import type { ModelEvent } from '../../core/index.js';
import { separateReads } from '../http/test-support/script-server.js';
import { createOpenAIProvider } from './openai-provider.js';
import { chunk, roleChunk, sse, usageChunk } from './test-support/openai-recording.js';
import {
  closeAll,
  ending,
  request,
  run,
  setup,
  texts,
  track,
} from './test-support/provider-harness.js';

afterEach(closeAll);

const wrongType =
  'Upstream response has the wrong content type: expected text/event-stream or application/json';

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
    expect(event?.type === 'error' && event.error.message).toBe('Upstream returned HTTP 429');
    expect(event?.type === 'error' && event.error.upstreamText).toBe('Rate limit reached');
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
    const provider = track(
      createOpenAIProvider({ name: 'down', baseUrl: `http://127.0.0.1:${port}/v1` }),
    );
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

  it('refuses an event-stream line past 16 MiB and closes the upstream connection', async () => {
    const mebibyte = 'x'.repeat(1024 * 1024);
    const { server, provider } = await setup({
      steps: separateReads(
        [sse([chunk({ content: 'Hi' })]), 'data: ', ...Array<string>(20).fill(mebibyte)],
        1,
      ),
      then: 'hang',
    });
    const events = await run(provider);
    expect(texts(events)).toEqual(['Hi']);
    expect(ending(events)).toMatchObject({
      type: 'error',
      code: 'RAMPART_UPSTREAM_BAD_RESPONSE',
      beforeContent: false,
    });
    const last = events.at(-1);
    expect(last?.type === 'error' && last.error.message).toContain('limit of 16777216 characters');
    await server.requests[0]!.closed;
  });

  it('reports a 200 HTML page as a bad response and closes the connection', async () => {
    const { server, provider } = await setup({
      headers: { 'content-type': 'text/html' },
      steps: ['<html><body>Sign in</body></html>'],
      then: 'hang',
    });
    const events = await run(provider);
    expect(events).toHaveLength(1);
    expect(ending(events)).toMatchObject({
      type: 'error',
      code: 'RAMPART_UPSTREAM_BAD_RESPONSE',
      beforeContent: true,
    });
    const [event] = events;
    expect(event?.type === 'error' && event.error.message).toBe(`${wrongType}, got text/html`);
    await server.requests[0]!.closed;
  });
});
