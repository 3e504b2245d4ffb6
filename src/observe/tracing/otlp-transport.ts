import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  OTLPExporterError,
  type ExportResponse,
  type IExporterTransport,
} from '@opentelemetry/otlp-exporter-base';
import { Agent, request } from 'undici';
import { splitCredentials } from '../../core/url-credentials.js';

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

/** The collector's TLS settings: its CA, and a client certificate and key for mutual TLS. */
export interface CollectorTls {
  ca?: Buffer | undefined;
  cert?: Buffer | undefined;
  key?: Buffer | undefined;
}

export interface UndiciTransportOptions {
  /** The traces URL; a user name and password in it are sent as Basic credentials. */
  url: string;
  /**
   * The exporter's headers: the OTEL_* environment's, then the configured ones, then the content
   * type, each later one winning (names compared without case, as HTTP does).
   */
  headers: () => Promise<Record<string, string>>;
  compression: 'gzip' | 'none';
  userAgent: string;
  /** Longest wait for a connection (and TLS handshake) to the collector. */
  connectTimeoutMs: number;
  tls?: CollectorTls | undefined;
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
  readonly #url: string;
  readonly #authorization: string | undefined;
  readonly #agent: Agent;

  constructor(options: UndiciTransportOptions) {
    this.#options = options;
    const { url, authorization } = splitCredentials(options.url);
    this.#url = url;
    this.#authorization = authorization;
    // Two connections: exports are rare and a second one covers a slow first. The connection
    // has a timeout of its own: an export's abort signal does not reach a connection attempt.
    this.#agent = new Agent({
      connections: 2,
      connect: { timeout: options.connectTimeoutMs, ...options.tls },
    });
  }

  async send(data: Uint8Array, timeoutMillis: number): Promise<ExportResponse> {
    const { compression, userAgent } = this.#options;
    const headers: Record<string, string> = {};
    if (this.#authorization !== undefined) headers.authorization = this.#authorization;
    for (const [name, value] of Object.entries(await this.#options.headers())) {
      headers[name.toLowerCase()] = value;
    }
    headers['user-agent'] = userAgent;
    let body = data;
    if (compression === 'gzip') {
      body = await gzipped(data);
      headers['content-encoding'] = 'gzip';
    }
    // A retry's share of the deadline can come out at or under zero when a timer ran late.
    const timeout = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMillis)));
    try {
      const response = await request(this.#url, {
        method: 'POST',
        headers,
        body,
        dispatcher: this.#agent,
        signal: timeout,
      });
      const status = response.statusCode;
      // The status decides: an accepted export whose answer is cut or long is still accepted
      // (sending it again would duplicate its spans), a 503 page of a proxy still retryable.
      const answer = await readAnswer(response.body);
      if (status >= 200 && status <= 299) {
        return answer.whole ? { status: 'success', data: answer.data } : { status: 'success' };
      }
      const error = new OTLPExporterError(
        `HTTP ${status}`,
        status,
        Buffer.from(answer.data).toString('utf8'),
      );
      if (RETRYABLE_STATUS.has(status)) {
        const retryInMillis = retryAfterMs(response.headers['retry-after']);
        return retryInMillis === undefined
          ? { status: 'retryable', error }
          : { status: 'retryable', error, retryInMillis };
      }
      return { status: 'failure', error };
    } catch (error) {
      if (timeout.aborted) return { status: 'retryable', error: new Error('Request timed out') };
      const failure = error instanceof Error ? error : new Error(String(error));
      return retryableNetworkError(error)
        ? { status: 'retryable', error: failure }
        : { status: 'failure', error: failure };
    }
  }

  shutdown(): void {
    // Called once the last flush has ended or been given up: what is still in flight (a
    // connection attempt, a hung collector) is cut, so it cannot keep the process alive.
    this.#agent.destroy().catch(() => undefined);
  }
}

/**
 * The collector's answer, at most {@link RESPONSE_LIMIT_BYTES} of it (past that, or on a read
 * error, the connection is dropped): `whole` says whether it was read to its end.
 */
async function readAnswer(body: AsyncIterable<Buffer> & { destroy(): unknown }) {
  const chunks: Buffer[] = [];
  let size = 0;
  let whole = true;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (size > RESPONSE_LIMIT_BYTES) {
        whole = false;
        break;
      }
      chunks.push(chunk);
    }
  } catch {
    whole = false;
  }
  if (!whole) body.destroy();
  return { data: new Uint8Array(Buffer.concat(chunks)), whole };
}
