// A stand-in OpenTelemetry collector for `overhead.mjs --tracing`: it accepts OTLP/HTTP trace
// exports (protobuf or JSON) on 127.0.0.1 and counts them, so Rampart exports for real while its CPU is measured.
// It runs in the bench's own process, whose CPU is not Rampart's.
import { Buffer } from 'node:buffer';
import http from 'node:http';

const LOOPBACK = '127.0.0.1';

/** Spans in an OTLP/JSON body, counted by key rather than parsed: the sink must stay cheap. */
function countSpans(text) {
  let count = 0;
  for (let at = text.indexOf('"spanId":'); at !== -1; at = text.indexOf('"spanId":', at + 9)) {
    count += 1;
  }
  return count;
}

/** A protobuf varint at `at`: [value, next offset]. */
function varint(buffer, at) {
  let value = 0;
  let scale = 1;
  for (let index = at; index < buffer.length; index++) {
    value += (buffer[index] & 0x7f) * scale;
    if ((buffer[index] & 0x80) === 0) return [value, index + 1];
    scale *= 128;
  }
  throw new Error('malformed protobuf varint');
}

/** Calls `visit(fieldNumber, start, end)` for each length-delimited field of a message. */
function eachMessageField(buffer, start, end, visit) {
  let at = start;
  while (at < end) {
    const [key, next] = varint(buffer, at);
    const wire = key & 7;
    if (wire === 0) at = varint(buffer, next)[1];
    else if (wire === 1) at = next + 8;
    else if (wire === 5) at = next + 4;
    else if (wire === 2) {
      const [length, from] = varint(buffer, next);
      visit(key >>> 3, from, from + length);
      at = from + length;
    } else throw new Error(`protobuf wire type ${wire}`);
  }
}

/**
 * Spans in an OTLP/protobuf body: field 2 of each ScopeSpans (1) of each ResourceSpans (2),
 * counted by walking the field lengths, without decoding a span.
 */
function countProtobufSpans(body) {
  let count = 0;
  eachMessageField(body, 0, body.length, (resourceField, rStart, rEnd) => {
    if (resourceField !== 1) return;
    eachMessageField(body, rStart, rEnd, (scopeField, sStart, sEnd) => {
      if (scopeField !== 2) return;
      eachMessageField(body, sStart, sEnd, (spanField) => {
        if (spanField === 2) count += 1;
      });
    });
  });
  return count;
}

export async function startOtlpSink() {
  const stats = { requests: 0, bytes: 0, spans: 0 };
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      stats.requests += 1;
      stats.bytes += body.length;
      if (request.headers['content-type'] === 'application/x-protobuf') {
        stats.spans += countProtobufSpans(body);
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      } else {
        stats.spans += countSpans(body.toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      }
    });
  });
  await new Promise((resolve) => server.listen(0, LOOPBACK, resolve));
  const { port } = server.address();
  return {
    url: `http://${LOOPBACK}:${port}/v1/traces`,
    stats: () => ({ ...stats }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The `observe.tracing` block for the bench config: every turn traced (or the share given), with a
 * queue deep enough that spans are exported rather than dropped at the highest load, so the cost
 * is all counted.
 */
export function tracingConfig(url, sampleRatio = 1, protocol = 'http/protobuf') {
  return [
    'observe:',
    '  tracing:',
    '    enabled: true',
    `    endpoint: ${url}`,
    `    sampleRatio: ${sampleRatio}`,
    `    protocol: ${protocol}`,
    '    batch: { maxQueueSize: 65536, maxExportBatchSize: 2048, scheduledDelayMs: 1000 }',
  ];
}
