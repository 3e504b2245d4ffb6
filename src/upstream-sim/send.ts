import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { WireError, WireFormat } from './wire-format.js';

/** Sends a complete JSON response. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void {
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

/** Sends an error in the format's own shape. */
export function sendError(
  response: ServerResponse,
  format: WireFormat,
  error: WireError,
  headers: OutgoingHttpHeaders = {},
): void {
  sendJson(response, error.status, format.errorBody(error), headers);
}

/** A signal that aborts when the response closes: finished, or the client went away. */
export function closeSignal(response: ServerResponse): AbortSignal {
  const controller = new AbortController();
  response.once('close', () => controller.abort());
  return controller.signal;
}

/** Resolves when the response can take more data, or when the signal aborts. */
export function drained(response: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    response.on('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
