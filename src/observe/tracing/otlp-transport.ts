import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  OTLPExporterError,
  type ExportResponse,
  type IExporterTransport,
} from '@opentelemetry/otlp-exporter-base';
import { Agent, request } from 'undici';

const gzipped = promisify(gzip);

/** A collector answers an export in a few bytes; more than this is not read. */
export const RESPONSE_LIMIT_BYTES = 64 * 1024;

/** The statuses OTLP/HTTP says to retry (the specification's list; the SDK's too). */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);

/** Network failures worth another try: the collector restarting, a connection cut, DNS. */
const RETRYABLE_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** Whether an error, or one it wraps (undici puts the system error under `cause`), is retryable. */
function retryableNetworkError(error: unknown): boolean {
  let at = error;
  for (let depth = 0; depth < 4 && typeof at === 'object' && at !== null; depth++) {
    const { code, cause } = at as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && RETRYABLE_ERRORS.has(code)) return true;
    at = cause;
  }
  return false;
}

/** `Retry-After` in milliseconds: seconds or an HTTP date; absent or unreadable: undefined. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()) {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  // An HTTP date names its day and month; anything else Date.parse might take is not one.
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface UndiciTransportOptions {
  url: string;
  /** The exporter's headers (the configured ones, the OTEL_* environment's, the content type). */
  headers: () => Promise<Record<string, string>>;
  compression: 'gzip' | 'none';
  userAgent: string;
}

/**
 * Sends one OTLP/HTTP export over undici, the client Rampart already calls its upstreams with.
 * Why not the SDK's own transport: it sends with Node's `http` client, and the first export
 * makes the server's request path measurably slower for every later turn (docs/benchmarks.md,
 * Monitoring; decision 18): `http`'s outgoing and incoming message code is shared with the
 * server Rampart runs on, and a client's messages passing through it cost the server's hot
 * path its specialised code. Answers with the response kinds the SDK's retry and logging expect.
 */
export class UndiciTransport implements IExporterTransport {
  readonly #options: UndiciTransportOptions;
  /** Two connections: exports are rare and a second one covers a slow first. */
  readonly #agent = new Agent({ connections: 2, pipelining: 1 });

  constructor(options: UndiciTransportOptions) {
    this.#options = options;
  }

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const { url, compression, userAgent } = this.#options;
    const headers: Record<string, string> = {
      ...(await this.#options.headers()),
      'user-agent': userAgent,
    };
    let body = data;
    if (compression === 'gzip') {
      body = await gzipped(data);
      headers['content-encoding'] = 'gzip';
    }
    // A retry's share of the deadline can come out at or under zero when a timer ran late.
    const timeout = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMillis)));
    try {
      const response = await request(url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.#agent,
        signal: timeout,
      });
      const answer = await readLimited(response.body);
      const status = response.statusCode;
      if (status >= 200 && status <= 299) return { status: 'success', data: answer };
      if (RETRYABLE_STATUS.has(status)) {
        const retryInMillis = retryAfterMs(response.headers['retry-after']);
        return retryInMillis === undefined
          ? { status: 'retryable' }
          : { status: 'retryable', retryInMillis };
      }
      const text = Buffer.from(answer).toString('utf8');
      return { status: 'failure', error: new OTLPExporterError(`HTTP ${status}`, status, text) };
    } catch (error) {
      if (timeout.aborted) return { status: 'retryable', error: new Error('Request timed out') };
      const failure = error instanceof Error ? error : new Error(String(error));
      return retryableNetworkError(error)
        ? { status: 'retryable', error: failure }
        : { status: 'failure', error: failure };
    }
  }

  shutdown(): void {
    // Closing lets an export under way end; nothing waits on it here (the interface is sync).
    this.#agent.close().catch(() => undefined);
  }
}

class ResponseTooLarge extends Error {
  readonly code = 'RAMPART_OTLP_RESPONSE_TOO_LARGE';
}

/** The response body, refused past {@link RESPONSE_LIMIT_BYTES} (the connection is dropped). */
async function readLimited(body: AsyncIterable<Buffer> & { destroy(): unknown }) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > RESPONSE_LIMIT_BYTES) {
      body.destroy();
      throw new ResponseTooLarge(`collector answer over ${RESPONSE_LIMIT_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** OTLP's retry schedule: up to five more tries, backing off 1 s × 1.5 each time, at most 5 s. */
const RETRY = { attempts: 5, firstMs: 1_000, factor: 1.5, maxMs: 5_000, jitter: 0.2 };

/**
 * Retries a transport's retryable answers within the export's deadline, waiting what the
 * collector's `Retry-After` asks or the backoff above (with ±20 % jitter, so that instances cut
 * off together do not come back together). The waits do not keep a stopping process alive.
 */
export class RetryingTransport implements IExporterTransport {
  readonly #inner: IExporterTransport;
  readonly #random: () => number;

  constructor(inner: IExporterTransport, random: () => number = Math.random) {
    this.#inner = inner;
    this.#random = random;
  }

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const deadline = Date.now() + timeoutMillis;
    let backoff = RETRY.firstMs;
    let result = await this.#inner.send(data, timeoutMillis);
    for (let retries = 0; result.status === 'retryable' && retries < RETRY.attempts; retries++) {
      const jitter = 1 + (this.#random() * 2 - 1) * RETRY.jitter;
      const wait = result.retryInMillis ?? Math.min(backoff * jitter, RETRY.maxMs);
      backoff *= RETRY.factor;
      const left = deadline - Date.now();
      if (wait > left) return result;
      await new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, wait)).unref());
      result = await this.#inner.send(data, deadline - Date.now());
    }
    return result;
  }

  shutdown(): void {
    this.#inner.shutdown();
  }
}
