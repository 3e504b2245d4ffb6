import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import { formatSseEvent, SSE_KEEPALIVE } from '../protocol/sse/index.js';

export interface SseWriterOptions {
  /** Interval of keep-alive comments while the stream is quiet. */
  keepAliveIntervalMs: number;
  /**
   * Longest wait for a client to take written data. A client that stops reading would otherwise
   * hold its turn (and a slot of the global cap) for ever: past this, the stream is cut, which
   * aborts the turn and releases what it holds.
   */
  drainTimeoutMs: number;
  headers?: Record<string, string>;
}

/**
 * Writes one server-sent event stream. Keep-alives are single comment lines, never followed by
 * a blank line, so no decoder can see an empty event in them. Writes respect back-pressure: a
 * slow client slows the producer instead of growing our memory.
 */
export class SseWriter {
  private readonly response: ServerResponse;
  private readonly drainTimeoutMs: number;
  private keepAlive: NodeJS.Timeout | undefined;
  private lastWriteAt = 0;

  constructor(response: ServerResponse, options: SseWriterOptions) {
    this.response = response;
    this.drainTimeoutMs = options.drainTimeoutMs;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // Proxies such as nginx buffer responses unless told not to; a buffered stream is no stream.
      'x-accel-buffering': 'no',
      ...options.headers,
    });
    response.flushHeaders();
    this.lastWriteAt = Date.now();
    const interval = options.keepAliveIntervalMs;
    this.keepAlive = setInterval(() => {
      if (Date.now() - this.lastWriteAt >= interval) this.writeRaw(SSE_KEEPALIVE);
    }, interval);
    this.keepAlive.unref();
  }

  get closed(): boolean {
    return this.response.writableEnded || this.response.destroyed;
  }

  /** Writes one event; resolves once the socket can take more. */
  async send(data: string, event?: string): Promise<void> {
    const text = formatSseEvent(event === undefined ? { data } : { event, data });
    if (!this.writeRaw(text)) await this.drained();
  }

  end(): void {
    this.stopKeepAlive();
    if (!this.closed) this.response.end();
  }

  private writeRaw(text: string): boolean {
    if (this.closed) return true;
    this.lastWriteAt = Date.now();
    return this.response.write(text);
  }

  private drained(): Promise<void> {
    return new Promise((resolve) => {
      const stalled = setTimeout(() => this.response.destroy(), this.drainTimeoutMs);
      const done = () => {
        clearTimeout(stalled);
        this.response.off('drain', done);
        this.response.off('close', done);
        resolve();
      };
      this.response.on('drain', done);
      this.response.on('close', done);
    });
  }

  private stopKeepAlive(): void {
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
  }
}

/**
 * Takes the response over from Fastify and opens an event stream on it, carrying the headers
 * already set on the reply (request id, rate limits).
 */
export function openEventStream(
  reply: FastifyReply,
  timing: { keepAliveIntervalMs: number; drainTimeoutMs: number },
): SseWriter {
  const headers: Record<string, string> = { 'x-request-id': String(reply.request.id) };
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) headers[name] = String(value);
  }
  const writer = new SseWriter(reply.raw, { ...timing, headers });
  reply.hijack();
  return writer;
}
