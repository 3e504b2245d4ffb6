import type { Readable } from 'node:stream';

import { Pool } from 'undici';

import { RampartError } from '../../core/index.js';
import { mapTransportError } from './transport-error.js';

/**
 * Timeouts by phase of the exchange. There is deliberately no total timeout: a healthy stream
 * that keeps sending may run as long as it needs. A value of 0 turns that phase's timeout off.
 */
export interface HttpTimeouts {
  /** Opening the connection. Default 10 000 ms. */
  connectMs: number;
  /** From sending the request to receiving the response headers. Default 60 000 ms. */
  firstByteMs: number;
  /** The longest quiet gap between two reads of the body. Default 120 000 ms. */
  idleMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: Readonly<HttpTimeouts> = Object.freeze({
  connectMs: 10_000,
  firstByteMs: 60_000,
  idleMs: 120_000,
});

export interface HttpTransportOptions {
  /** The upstream's base URL, e.g. `https://api.openai.com/v1`; request paths are appended. */
  baseUrl: string;
  timeouts?: Partial<HttpTimeouts>;
  /** Headers sent with every request (credentials, API versions). */
  headers?: Readonly<Record<string, string>>;
}

export interface HttpPostOptions {
  /** Cancels the request at once, closing its connection. */
  signal?: AbortSignal;
  /** Headers for this request only; they override the transport's. */
  headers?: Readonly<Record<string, string>>;
}

/** A response whose headers have arrived; its body is read as it streams in. */
export interface HttpResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /**
   * The body, read by read. A network failure while reading rejects with a RampartError: the
   * idle timeout as `RAMPART_UPSTREAM_TIMEOUT`, a dropped connection as
   * `RAMPART_UPSTREAM_STREAM_TRUNCATED`, the caller's abort as `RAMPART_CLIENT_CLOSED`.
   */
  body: AsyncIterable<Uint8Array>;
  /** Drops the rest of the body and releases the connection. */
  cancel(): void;
}

/** An HTTP client for one upstream, with a keep-alive connection pool. */
export interface HttpTransport {
  /**
   * Sends a JSON body with POST. Resolves once the response headers arrive, whatever the status;
   * rejects with a RampartError (see {@link mapTransportError}) when no response arrives.
   */
  post(path: string, body: unknown, options?: HttpPostOptions): Promise<HttpResponse>;
  /** Closes every connection, cancelling requests in flight. */
  close(): Promise<void>;
}

/** Creates a transport with its own connection pool for the base URL's origin. */
export function createHttpTransport(options: HttpTransportOptions): HttpTransport {
  const target = parseBaseUrl(options.baseUrl);
  const timeouts = resolveTimeouts(options.timeouts);
  const pool = new Pool(target.origin, {
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.firstByteMs,
    bodyTimeout: timeouts.idleMs,
  });

  const post = async (path: string, body: unknown, postOptions: HttpPostOptions = {}) => {
    const { signal } = postOptions;
    try {
      const response = await pool.request({
        path: target.basePath + path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers, ...postOptions.headers },
        body: JSON.stringify(body),
        signal,
      });
      return toHttpResponse(response.statusCode, response.headers, response.body, signal);
    } catch (error) {
      throw mapTransportError(error, { phase: 'request', signal });
    }
  };

  return { post, close: () => pool.destroy() };
}

function toHttpResponse(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Readable,
  signal: AbortSignal | undefined,
): HttpResponse {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined)
      flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return { status, headers: flat, body: mappedBody(body, signal), cancel: () => body.destroy() };
}

/**
 * The body as chunks. A reader may stop early: the stream decoders stop at `[DONE]` without
 * waiting for the body to close. Destroying a body that is not at its end makes Node create an
 * error with a stack, on every streamed call, so the rest is read out instead (see `release`).
 */
export async function* mappedBody(body: Readable, signal: AbortSignal | undefined) {
  let ended = false;
  try {
    for await (const chunk of body.iterator({ destroyOnReturn: false })) yield chunk as Uint8Array;
    ended = true;
  } catch (error) {
    throw mapTransportError(error, { phase: 'body', signal });
  } finally {
    if (!ended) release(body);
  }
}

/**
 * Lets go of a body its reader left. When the upstream has finished the response, the rest is
 * already buffered: flowing it out ends the body before the next turn of the event loop, with no
 * error made. A body still open then (an upstream holding the stream after `[DONE]`, or a reader
 * that gave up midway) is destroyed, which aborts the request and frees its connection.
 */
function release(body: Readable): void {
  // Nothing reads the body any more: an error from here on (the abort's own) concerns nobody.
  body.on('error', ignore);
  body.resume();
  setImmediate(() => {
    if (!body.readableEnded) body.destroy();
  });
}

function ignore(): void {}

/** Fills each phase not given (or given as undefined) with its default. */
function resolveTimeouts(given: Partial<HttpTimeouts> = {}): HttpTimeouts {
  return {
    connectMs: given.connectMs ?? DEFAULT_HTTP_TIMEOUTS.connectMs,
    firstByteMs: given.firstByteMs ?? DEFAULT_HTTP_TIMEOUTS.firstByteMs,
    idleMs: given.idleMs ?? DEFAULT_HTTP_TIMEOUTS.idleMs,
  };
}

function parseBaseUrl(baseUrl: string): { origin: string; basePath: string } {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch (error) {
    throw new RampartError('RAMPART_CONFIG_INVALID', `Invalid upstream base URL: ${baseUrl}`, {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RampartError('RAMPART_CONFIG_INVALID', `Upstream base URL must be http or https`);
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}
