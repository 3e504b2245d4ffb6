import type { IncomingMessage } from 'node:http';

/** A request body read in full, or why it was not. */
export type BodyRead = { ok: true; text: string } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads a request body up to `maxBytes`. A declared `Content-Length` over the cap is refused
 * before reading; a chunked body is refused as soon as it passes the cap.
 */
export function readBody(request: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.resolve({ ok: false, reason: 'too-large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead) => {
      request.off('data', onData).off('end', onEnd).off('error', onAborted);
      request.off('close', onAborted);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return finish({ ok: false, reason: 'too-large' });
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, text: Buffer.concat(chunks).toString('utf8') });
    const onAborted = () => finish({ ok: false, reason: 'aborted' });
    request.on('data', onData).on('end', onEnd).on('error', onAborted).on('close', onAborted);
  });
}
