import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { OTLPExporterError, type ExportResponse } from '@opentelemetry/otlp-exporter-base';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../../app/test-support/harness.js';
import {
  RESPONSE_LIMIT_BYTES,
  retryAfterMs,
  UndiciTransport,
  type UndiciTransportOptions,
} from './otlp-transport.js';
import { startOtlpReceiver } from './test-support/otlp-receiver.js';

interface Received {
  headers: IncomingMessage['headers'];
  body: Buffer;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A collector on 127.0.0.1 that records each request and answers as `answer` says. */
async function collector(answer: (response: ServerResponse, received: Received) => void) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const one = { headers: request.headers, body: Buffer.concat(chunks) };
      received.push(one);
      answer(response, one);
    });
  });
  const port = await listening(server);
  return { url: `http://127.0.0.1:${port}/v1/traces`, received };
}

/** Listens on 127.0.0.1, closed with its connections after the test; the port. */
async function listening(server: Server | HttpsServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return (server.address() as AddressInfo).port;
}

function transport(
  url: string,
  compression: 'gzip' | 'none' = 'none',
  more: Partial<UndiciTransportOptions> = {},
) {
  const made = new UndiciTransport({
    url,
    headers: () =>
      Promise.resolve({ 'Content-Type': 'application/x-protobuf', 'x-collector-key': 'k1' }),
    compression,
    userAgent: 'rampart/test',
    connectTimeoutMs: 2_000,
    ...more,
  });
  cleanups.push(() => made.shutdown());
  return made;
}

const FIXTURES = new URL('./test-support/', import.meta.url);
const IDENTITY = {
  key: readFileSync(new URL('collector-key.pem', FIXTURES)),
  cert: readFileSync(new URL('collector-cert.pem', FIXTURES)),
};

const PAYLOAD = new Uint8Array([10, 3, 1, 2, 3, 0, 255]);

describe('the OTLP transport over undici', () => {
  it('posts the export with its headers and answers success with the body', async () => {
    const sink = await collector((response) => response.writeHead(200).end('ok'));
    const result = await transport(sink.url).send(PAYLOAD, 2_000);
    expect(result).toEqual({ status: 'success', data: new Uint8Array(Buffer.from('ok')) });
    expect(sink.received).toHaveLength(1);
    const [{ headers, body }] = sink.received as [Received];
    expect([...body]).toEqual([...PAYLOAD]);
    expect(headers['content-type']).toBe('application/x-protobuf');
    expect(headers['x-collector-key']).toBe('k1');
    expect(headers['user-agent']).toBe('rampart/test');
    expect(headers['content-encoding']).toBeUndefined();
  });

  it('gzips the body when compression says so', async () => {
    const sink = await collector((response) => response.writeHead(200).end());
    expect((await transport(sink.url, 'gzip').send(PAYLOAD, 2_000)).status).toBe('success');
    const [{ headers, body }] = sink.received as [Received];
    expect(headers['content-encoding']).toBe('gzip');
    expect([...gunzipSync(body)]).toEqual([...PAYLOAD]);
  });

  it.each([429, 502, 503, 504])(
    'calls %i retryable, with the wait Retry-After asks',
    async (status) => {
      const sink = await collector((response) =>
        response.writeHead(status, { 'retry-after': '3' }).end(),
      );
      const result = await transport(sink.url).send(PAYLOAD, 2_000);
      expect(result).toMatchObject({ status: 'retryable', retryInMillis: 3_000 });
      expect((result as { error?: Error }).error?.message).toBe(`HTTP ${status}`);
    },
  );

  it('calls another error status a failure, with the status and what the collector said', async () => {
    const sink = await collector((response) => response.writeHead(400).end('bad span'));
    const result = await transport(sink.url).send(PAYLOAD, 2_000);
    expect(result.status).toBe('failure');
    const { error } = result as Extract<ExportResponse, { status: 'failure' }>;
    expect(error).toBeInstanceOf(OTLPExporterError);
    expect(error).toMatchObject({ code: 400, data: 'bad span' });
  });

  it('calls a refused connection retryable', async () => {
    const sink = await collector((response) => response.end());
    // Closed before anything is sent: the port is free and nothing listens on it.
    await cleanups.pop()!();
    const result = await transport(sink.url).send(PAYLOAD, 2_000);
    expect(result.status).toBe('retryable');
    expect((result as { error?: Error }).error).toBeInstanceOf(Error);
  });

  it('gives a collector that never answers up after the timeout, as retryable', async () => {
    const sink = await collector(() => undefined);
    const started = performance.now();
    const result = await transport(sink.url).send(PAYLOAD, 200);
    expect(performance.now() - started).toBeLessThan(1_900);
    expect(result.status).toBe('retryable');
    expect((result as { error?: Error }).error?.message).toBe('Request timed out');
  });

  it('goes by the status when the answer is cut or too long to read', async () => {
    const long = Buffer.alloc(RESPONSE_LIMIT_BYTES + 1, 0x61);
    const accepted = await collector((response) => response.writeHead(200).end(long));
    // Accepted is accepted: sending the spans again would store them twice.
    expect(await transport(accepted.url).send(PAYLOAD, 2_000)).toEqual({ status: 'success' });
    const proxyPage = await collector((response) => response.writeHead(503).end(long));
    expect((await transport(proxyPage.url).send(PAYLOAD, 2_000)).status).toBe('retryable');
    const cut = await collector((response) => {
      response.writeHead(200, { 'content-length': '1000' });
      response.write('partial');
      setTimeout(() => response.destroy(), 20);
    });
    expect(await transport(cut.url).send(PAYLOAD, 2_000)).toEqual({ status: 'success' });
    expect(cut.received).toHaveLength(1);
  });

  it('sends the credentials of the URL as Basic authorization, not in the URL', async () => {
    const sink = await collector((response) => response.writeHead(200).end());
    const withCredentials = sink.url.replace('http://', 'http://us%40er:s3cr%3At@');
    expect((await transport(withCredentials).send(PAYLOAD, 2_000)).status).toBe('success');
    const [{ headers }] = sink.received as [Received];
    const basic = Buffer.from('us@er:s3cr:t').toString('base64');
    expect(headers.authorization).toBe(`Basic ${basic}`);
  });

  it('sends each header once, the later of two names that differ only in case', async () => {
    const sink = await collector((response, received) => {
      response.writeHead(200).end(JSON.stringify(received.headers));
    });
    const sending = transport(sink.url, 'none', {
      // As the SDK merges them: the environment's, then the configured ones, then the type.
      headers: () =>
        Promise.resolve({
          authorization: 'Bearer from-env',
          'x-tenant': 'env',
          Authorization: 'Bearer from-config',
          'X-Tenant': 'config',
          'User-Agent': 'mine/1',
          'Content-Type': 'application/x-protobuf',
        }),
    });
    expect((await sending.send(PAYLOAD, 2_000)).status).toBe('success');
    const [{ headers }] = sink.received as [Received];
    expect(headers.authorization).toBe('Bearer from-config');
    expect(headers['x-tenant']).toBe('config');
    expect(headers['user-agent']).toBe('rampart/test');
    expect(headers['content-type']).toBe('application/x-protobuf');
  });

  it('gives up a connection that never completes after the connect timeout', async () => {
    // Accepts and says nothing: a TLS handshake to it never ends.
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const { port } = silent.address() as AddressInfo;
    const started = performance.now();
    const sending = transport(`https://127.0.0.1:${port}/v1/traces`, 'none', {
      connectTimeoutMs: 300,
    });
    const result = await sending.send(PAYLOAD, 10_000);
    expect(result.status).toBe('retryable');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('verifies the collector with the CA it is given, and shows it a client certificate', async () => {
    const asked: boolean[] = [];
    const server = createHttpsServer(
      { ...IDENTITY, ca: IDENTITY.cert, requestCert: true, rejectUnauthorized: true },
      (request, response) => {
        asked.push((request.socket as TLSSocket).authorized);
        request.resume();
        request.on('end', () => response.writeHead(200).end());
      },
    );
    const url = `https://127.0.0.1:${await listening(server)}/v1/traces`;
    const trusted = transport(url, 'none', { tls: { ca: IDENTITY.cert, ...IDENTITY } });
    expect((await trusted.send(PAYLOAD, 2_000)).status).toBe('success');
    expect(asked).toEqual([true]);
    // Without the CA the collector's own certificate is not trusted.
    const unverified = await transport(url).send(PAYLOAD, 2_000);
    expect(unverified.status).toBe('failure');
    // Without a client certificate the collector refuses the connection.
    const anonymous = await transport(url, 'none', { tls: { ca: IDENTITY.cert } }).send(
      PAYLOAD,
      2_000,
    );
    expect(anonymous.status).not.toBe('success');
  });

  it('sends concurrent exports, each answered on its own', async () => {
    const sink = await collector((response, received) =>
      response.writeHead(200).end(String(received.body.length)),
    );
    const sending = transport(sink.url);
    const sizes = [1, 50, 2_000, 70_000, 3];
    const results = await Promise.all(
      sizes.map((size) => sending.send(new Uint8Array(size).fill(7), 2_000)),
    );
    expect(
      results.map((result) => Buffer.from((result as { data: Uint8Array }).data).toString()),
    ).toEqual(sizes.map(String));
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-12-06T10:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7_000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Sun, 06 Dec 2026 10:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('Sun, 06 Dec 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs(['2', '9'], now)).toBe(2_000);
    for (const junk of [undefined, '', 'soon', '-3', '1.5e3']) {
      expect(retryAfterMs(junk, now)).toBeUndefined();
    }
  });
});

describe('trace export from a running server', () => {
  it('never uses Node’s http client (it would slow the server’s own request path)', async () => {
    const started: unknown[] = [];
    const onStart = (message: unknown) => void started.push(message);
    subscribe('http.client.request.start', onStart);
    cleanups.push(() => void unsubscribe('http.client.request.start', onStart));
    const receiver = await startOtlpReceiver();
    cleanups.push(() => receiver.close());
    const server = await startTestServer({
      config: {
        observe: {
          tracing: { enabled: true, endpoint: receiver.url, batch: { scheduledDelayMs: 20 } },
        },
      },
    });
    cleanups.push(() => server.close());
    const key = await server.key('alice');
    const response = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'rampart-sim-1',
        messages: [{ role: 'user', content: 'hello' }],
      }),
    });
    expect(response.status).toBe(200);
    const traceId = response.headers.get('x-rampart-trace-id');
    await response.json();
    for (let tries = 0; tries < 250 && receiver.spans().length === 0; tries++) await sleep(20);
    expect(receiver.spans().map((span) => span.traceId)).toContain(traceId);
    expect(receiver.exports[0]!.headers['user-agent']).toMatch(/^rampart\//);
    expect(started).toEqual([]);
  });
});
