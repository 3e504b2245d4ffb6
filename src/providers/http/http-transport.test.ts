import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';

import { isRampartError, type RampartError } from '../../core/index.js';
import { readBodyText } from './body.js';
import { createHttpTransport, mappedBody, type HttpTransport } from './http-transport.js';
import { errorFromResponse } from './response-error.js';
import {
  separateReads,
  startScriptServer,
  type ResponseScript,
  type ScriptServer,
} from './test-support/script-server.js';

let server: ScriptServer | undefined;
let transport: HttpTransport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

async function setup(script: ResponseScript, timeouts = {}) {
  server = await startScriptServer(script);
  transport = createHttpTransport({
    baseUrl: `${server.origin}/v1/`,
    headers: { authorization: 'Bearer test-key' },
    timeouts,
  });
  return { server, transport };
}

/** Reads a whole body, returning its text or the error that ended it. */
async function drain(body: AsyncIterable<Uint8Array>): Promise<string | RampartError> {
  const decoder = new TextDecoder();
  let text = '';
  try {
    for await (const chunk of body) text += decoder.decode(chunk, { stream: true });
    return text;
  } catch (error) {
    return error as RampartError;
  }
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('createHttpTransport', () => {
  it('posts JSON under the base path with merged headers and streams the body', async () => {
    const { server, transport } = await setup({ steps: separateReads(['one ', 'two']) });
    const response = await transport.post(
      '/chat/completions',
      { hello: 'world' },
      {
        headers: { accept: 'text/event-stream' },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream');
    expect(await drain(response.body)).toBe('one two');

    const [request] = server.requests;
    expect(request?.url).toBe('/v1/chat/completions');
    expect(request?.method).toBe('POST');
    expect(JSON.parse(request!.body)).toEqual({ hello: 'world' });
    expect(request?.headers.authorization).toBe('Bearer test-key');
    expect(request?.headers.accept).toBe('text/event-stream');
    expect(request?.headers['content-type']).toBe('application/json');
  });

  it('keeps the connection alive between requests', async () => {
    const { server, transport } = await setup({ steps: ['ok'] });
    await drain((await transport.post('/a', {})).body);
    await drain((await transport.post('/b', {})).body);
    expect(server.requests).toHaveLength(2);
    const closedFirst = await Promise.race([
      server.requests[0]!.closed.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), 50)),
    ]);
    expect(closedFirst).toBe(false);
  });

  it('resolves for error statuses and maps them with the upstream message', async () => {
    const body = JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests' } });
    const { transport } = await setup({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': '12' },
      steps: [body],
    });
    const response = await transport.post('/chat/completions', {});
    const error = await errorFromResponse(response);
    expect(error.code).toBe('RAMPART_UPSTREAM_RATE_LIMITED');
    expect(error.retryAfterSeconds).toBe(12);
    expect(error.message).toBe('Upstream returned HTTP 429');
    expect(error.upstreamText).toBe('Rate limit reached');
  });

  it('reports a refused connection as unavailable', async () => {
    const port = await closedPort();
    transport = createHttpTransport({ baseUrl: `http://127.0.0.1:${port}/v1` });
    const error: unknown = await transport.post('/x', {}).catch((caught: unknown) => caught);
    expect(isRampartError(error, 'RAMPART_UPSTREAM_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toBe('Upstream is unreachable (ECONNREFUSED)');
  });

  it('fires the first-byte timeout when no headers come', async () => {
    const { transport } = await setup({ hangBeforeHeaders: true }, { firstByteMs: 200 });
    const started = Date.now();
    const error: unknown = await transport.post('/x', {}).catch((caught: unknown) => caught);
    expect(isRampartError(error, 'RAMPART_UPSTREAM_TIMEOUT')).toBe(true);
    expect((error as Error).message).toMatch(/first-byte/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('lets a slow but steady body run longer than the idle timeout', async () => {
    const pieces = Array.from({ length: 7 }, (_, index) => `${index};`);
    const { transport } = await setup({ steps: separateReads(pieces, 300) }, { idleMs: 1000 });
    const started = Date.now();
    const response = await transport.post('/x', {});
    expect(await drain(response.body)).toBe('0;1;2;3;4;5;6;');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1800);
  });

  it('fires the idle timeout when the body goes quiet', async () => {
    const script: ResponseScript = { steps: ['first'], then: 'hang' };
    const { transport } = await setup(script, { idleMs: 300 });
    const response = await transport.post('/x', {});
    const chunks: string[] = [];
    const error = await (async () => {
      try {
        for await (const chunk of response.body) chunks.push(Buffer.from(chunk).toString());
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(chunks).toEqual(['first']);
    expect(isRampartError(error, 'RAMPART_UPSTREAM_TIMEOUT')).toBe(true);
    expect((error as Error).message).toMatch(/idle/);
  });

  it('reports a connection cut mid-body as a truncated stream', async () => {
    const { transport } = await setup({ steps: separateReads(['a', 'b']), then: 'cut' });
    const response = await transport.post('/x', {});
    const result = await drain(response.body);
    expect(isRampartError(result, 'RAMPART_UPSTREAM_STREAM_TRUNCATED')).toBe(true);
  });

  it('cancels at once on abort before the headers and closes the connection', async () => {
    const { server, transport } = await setup({ hangBeforeHeaders: true });
    const controller = new AbortController();
    const pending = transport.post('/x', {}, { signal: controller.signal });
    await waitFor(() => server.requests.length === 1);
    controller.abort();
    const error: unknown = await pending.catch((caught: unknown) => caught);
    expect(isRampartError(error, 'RAMPART_CLIENT_CLOSED')).toBe(true);
    await server.requests[0]!.closed;
  });

  it('cancels mid-body on abort and closes the connection', async () => {
    const { server, transport } = await setup({ steps: ['first'], then: 'hang' });
    const controller = new AbortController();
    const response = await transport.post('/x', {}, { signal: controller.signal });
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    setTimeout(() => controller.abort(), 10);
    const error: unknown = await iterator.next().catch((caught: unknown) => caught);
    expect(isRampartError(error, 'RAMPART_CLIENT_CLOSED')).toBe(true);
    await server.requests[0]!.closed;
  });

  it('rejects an already aborted signal without a request', async () => {
    const { server, transport } = await setup({ steps: ['x'] });
    const error: unknown = await transport
      .post('/x', {}, { signal: AbortSignal.abort() })
      .catch((caught: unknown) => caught);
    expect(isRampartError(error, 'RAMPART_CLIENT_CLOSED')).toBe(true);
    expect(server.requests).toHaveLength(0);
  });

  it('releases the connection when the reader stops early', async () => {
    const { server, transport } = await setup({ steps: ['first'], then: 'hang' });
    const response = await transport.post('/x', {});
    const reader = response.body[Symbol.asyncIterator]();
    await reader.next();
    await reader.return?.();
    await server.requests[0]!.closed;
  });

  it('ends a finished body without an abort error when its reader stops early', async () => {
    const { server } = await setup({ steps: ['data: [DONE]\n\n'] });
    const { body } = await request(`${server.origin}/x`, { method: 'POST', body: '{}' });
    // The whole response has arrived; the reader stops at its first chunk, as at `[DONE]`.
    await arrived(server);
    const reader = mappedBody(body, undefined)[Symbol.asyncIterator]();
    await reader.next();
    await reader.return(undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(body.readableEnded).toBe(true);
    expect(body.errored).toBeNull();
  });

  it('keeps the connection when the reader stops early after the upstream finished', async () => {
    const { server, transport } = await setup({ steps: ['data: [DONE]\n\n'] });
    const first = await transport.post('/x', {});
    const reader = first.body[Symbol.asyncIterator]();
    await reader.next();
    // The response is over at the upstream; the reader stops without asking for its end, as
    // the stream decoders do at `[DONE]`.
    await arrived(server);
    await reader.return?.();
    const second = await transport.post('/x', {});
    expect(await drain(second.body)).toBe('data: [DONE]\n\n');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.remotePort).toBe(server.requests[0]!.remotePort);
  });

  it('refuses a base URL that is not http or https', () => {
    expect(() => createHttpTransport({ baseUrl: 'ftp://example.test' })).toThrow(/http or https/);
    expect(() => createHttpTransport({ baseUrl: 'not a url' })).toThrow(/Invalid upstream/);
  });

  it('reads an error body only up to its cap', async () => {
    const { transport } = await setup({ status: 500, steps: ['y'.repeat(200_000)] });
    const response = await transport.post('/x', {});
    const { truncated } = await readBodyText(response.body, 1000);
    expect(truncated).toBe(true);
  });
});

/**
 * Waits until the first response has been sent whole and the client has read its socket since:
 * the I/O phase of the event loop runs before the `setImmediate` that ends the wait.
 */
async function arrived(server: ScriptServer): Promise<void> {
  await waitFor(() => server.requests.length > 0);
  await server.requests[0]!.answered;
  await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setImmediate(resolve));
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
