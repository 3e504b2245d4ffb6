import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeTraceExport } from './otlp-protobuf.js';

/** How the receiver answers an export: as a collector should, with a 503, or not at all. */
export type ReceiverMode = 'ok' | 'unavailable' | 'hang';

/** One span as OTLP carries it, its attributes decoded to plain values. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | undefined;
  name: string;
  /** OTLP's numbering: 1 internal, 2 server, 3 client. */
  kind: number;
  status: { code?: number };
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

export interface ReceivedExport {
  headers: IncomingHttpHeaders;
  spans: ReceivedSpan[];
}

interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
}

type KeyValue = { key: string; value: AnyValue };

function decode(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(decode);
  return undefined;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map(({ key, value }) => [key, decode(value)]));
}

interface ExportBody {
  resourceSpans?: Array<{
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: Array<{
      spans?: Array<
        Omit<ReceivedSpan, 'attributes' | 'resource' | 'parentSpanId'> & {
          parentSpanId?: string;
          attributes?: KeyValue[];
        }
      >;
    }>;
  }>;
}

/** Flattens an OTLP/JSON `ExportTraceServiceRequest` into its spans. */
function spansOf(body: ExportBody): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of body.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        spans.push({
          ...span,
          parentSpanId: span.parentSpanId === '' ? undefined : span.parentSpanId,
          attributes: attributesOf(span.attributes),
          resource,
        });
      }
    }
  }
  return spans;
}

/**
 * A stand-in OpenTelemetry collector on 127.0.0.1: it records every OTLP/HTTP traces export,
 * protobuf or JSON as its content type says, and answers as its mode says.
 */
export interface OtlpReceiver {
  readonly url: string;
  readonly exports: ReceivedExport[];
  /** Export requests received, including those not answered. */
  readonly requests: number;
  spans(): ReceivedSpan[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(mode: ReceiverMode = 'ok'): Promise<OtlpReceiver> {
  const exports: ReceivedExport[] = [];
  const hanging: ServerResponse[] = [];
  let requests = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      if (mode === 'hang') return void hanging.push(response);
      if (mode === 'unavailable') return void response.writeHead(503).end();
      const raw = Buffer.concat(chunks);
      const protobuf = request.headers['content-type'] === 'application/x-protobuf';
      const body = protobuf
        ? (decodeTraceExport(raw) as ExportBody)
        : (JSON.parse(raw.toString('utf8')) as ExportBody);
      exports.push({ headers: request.headers, spans: spansOf(body) });
      // An empty ExportTraceServiceResponse is an empty body in protobuf, `{}` in JSON.
      if (protobuf) response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1/traces`,
    exports,
    get requests() {
      return requests;
    },
    spans: () => exports.flatMap((received) => received.spans),
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
