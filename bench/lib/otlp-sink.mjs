// A stand-in OpenTelemetry collector for `overhead.mjs --tracing`: it accepts OTLP/HTTP trace
// exports on 127.0.0.1 and counts them, so Rampart exports for real while its CPU is measured.
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

export async function startOtlpSink() {
  const stats = { requests: 0, bytes: 0, spans: 0 };
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      stats.requests += 1;
      stats.bytes += body.length;
      stats.spans += countSpans(body.toString('utf8'));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
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
 * The `observe.tracing` block for the bench config: every turn traced, with a queue deep enough
 * that spans are exported rather than dropped at the highest load, so the cost is all counted.
 */
export function tracingConfig(url) {
  return [
    'observe:',
    '  tracing:',
    '    enabled: true',
    `    endpoint: ${url}`,
    '    batch: { maxQueueSize: 65536, maxExportBatchSize: 2048, scheduledDelayMs: 1000 }',
  ];
}
