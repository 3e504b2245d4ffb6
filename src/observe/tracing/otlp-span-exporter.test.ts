import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { collectorTls, otlpSpanExporter } from './otlp-span-exporter.js';
import { startOtlpReceiver } from './test-support/otlp-receiver.js';
import { decodeTraceExport } from './test-support/otlp-protobuf.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function oneSpan(name: string): ReadableSpan {
  const provider = new BasicTracerProvider();
  const span = provider.getTracer('test').startSpan(name, { attributes: { 'rampart.x': 1 } });
  span.end();
  return span as unknown as ReadableSpan;
}

function exportNow(exporter: SpanExporter, spans: ReadableSpan[]) {
  return new Promise<ExportResult>((resolve) => exporter.export(spans, resolve));
}

describe('otlpSpanExporter', () => {
  it.each(['http/protobuf', 'http/json'] as const)('exports spans over %s', async (protocol) => {
    const receiver = await startOtlpReceiver();
    cleanups.push(() => receiver.close());
    const { exporter } = otlpSpanExporter({
      endpoint: receiver.url,
      headers: { 'x-collector-key': 'secret' },
      timeoutMs: 2_000,
      protocol,
      userAgent: 'rampart/test',
    });
    cleanups.push(() => exporter.shutdown());
    const result = await exportNow(exporter, [oneSpan('chat one'), oneSpan('chat two')]);
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(receiver.spans().map((span) => span.name)).toEqual(['chat one', 'chat two']);
    expect(receiver.exports[0]!.headers['x-collector-key']).toBe('secret');
  });

  it('takes the endpoint, headers and compression the OTEL_* environment gives', async () => {
    const received: Array<{ url: string; headers: IncomingHttpHeaders; body: Buffer }> = [];
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks),
        });
        response.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', `http://127.0.0.1:${port}/collector`);
    vi.stubEnv('OTEL_EXPORTER_OTLP_HEADERS', 'x-tenant=blue');
    vi.stubEnv('OTEL_EXPORTER_OTLP_COMPRESSION', 'gzip');
    const { exporter, url: target } = otlpSpanExporter({
      endpoint: undefined,
      headers: {},
      timeoutMs: 2_000,
      protocol: 'http/protobuf',
      userAgent: 'rampart/test',
    });
    cleanups.push(() => exporter.shutdown());
    expect((await exportNow(exporter, [oneSpan('chat env')])).code).toBe(ExportResultCode.SUCCESS);
    expect(received).toHaveLength(1);
    const [{ url, headers, body }] = received as [(typeof received)[number]];
    expect(url).toBe('/collector/v1/traces');
    expect(target).toBe(`http://127.0.0.1:${port}/collector/v1/traces`);
    expect(headers['x-tenant']).toBe('blue');
    expect(headers['content-encoding']).toBe('gzip');
    const decoded = JSON.stringify(decodeTraceExport(gunzipSync(body)));
    expect(decoded).toContain('chat env');
  });

  it('reports a collector that refuses the export as a failed result', async () => {
    const receiver = await startOtlpReceiver('unavailable');
    cleanups.push(() => receiver.close());
    const { exporter } = otlpSpanExporter({
      endpoint: receiver.url,
      headers: {},
      // Shorter than the first backoff: the 503 is not retried, and the export fails at once.
      timeoutMs: 300,
      protocol: 'http/protobuf',
      userAgent: 'rampart/test',
    });
    cleanups.push(() => exporter.shutdown());
    const result = await exportNow(exporter, [oneSpan('chat lost')]);
    expect(result.code).toBe(ExportResultCode.FAILED);
    expect(receiver.requests).toBe(1);
  });

  it('reads the collector TLS files the OTEL_* environment names, the traces ones first', () => {
    const cert = fileURLToPath(new URL('./test-support/collector-cert.pem', import.meta.url));
    const key = fileURLToPath(new URL('./test-support/collector-key.pem', import.meta.url));
    const tls = collectorTls({
      OTEL_EXPORTER_OTLP_CERTIFICATE: '/nowhere/ca.pem',
      OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: cert,
      OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: cert,
      OTEL_EXPORTER_OTLP_CLIENT_KEY: key,
    });
    expect(tls.ca?.equals(readFileSync(cert))).toBe(true);
    expect(tls.cert?.equals(readFileSync(cert))).toBe(true);
    expect(tls.key?.equals(readFileSync(key))).toBe(true);
    expect(collectorTls({})).toEqual({ ca: undefined, cert: undefined, key: undefined });
  });

  it('refuses to start on a TLS file it cannot read, naming the variable', () => {
    expect(() => collectorTls({ OTEL_EXPORTER_OTLP_CLIENT_KEY: '/nowhere/key.pem' })).toThrow(
      expect.objectContaining({
        code: 'RAMPART_CONFIG_INVALID',
        message: expect.stringContaining(
          'OTEL_EXPORTER_OTLP_CLIENT_KEY: cannot read /nowhere/key.pem',
        ),
      }),
    );
  });
});
