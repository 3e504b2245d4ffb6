import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { RampartError } from '../core/errors.js';

/**
 * Answers a request Node's HTTP parser refused before Fastify saw it (a malformed
 * `Content-Length`, bad header bytes, headers too large, a client too slow to send them) in the
 * OpenAI error shape every other failure has, instead of Fastify's own body. Nothing of the
 * request is echoed: it could not be read, and the bytes may be hostile. No route is known yet,
 * so there is no Anthropic shape here; the status still tells an SDK what happened.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // A reset connection is gone: there is no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Garbage after a request on a kept-alive connection whose answer is already under way (a
  // stream): an answer written now would land inside it. Node's own handler holds back too.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent === true) {
    socket.destroy();
    return;
  }
  const refusal = refusalFor(error.code);
  const body = JSON.stringify(refusal.toBody());
  const head =
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? 'Bad Request'}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    'Connection: close\r\n\r\n';
  // Closed once the answer is written (a destroy now could drop it), whether or not the client
  // closes its side.
  socket.end(head + body, () => socket.destroy());
}

function refusalFor(code: string | undefined): RampartError {
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    const message = 'The request was not received in time.';
    return new RampartError('RAMPART_INVALID_REQUEST', message, { status: 408 });
  }
  if (code === 'HPE_HEADER_OVERFLOW') {
    const message = 'The request headers are larger than this server accepts.';
    return new RampartError('RAMPART_INVALID_REQUEST', message, { status: 431 });
  }
  return new RampartError('RAMPART_INVALID_REQUEST', 'The request is not valid HTTP.');
}
