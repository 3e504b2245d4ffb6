import type { Readable } from 'node:stream';

/** A response body read up to a byte limit. */
export interface LimitedBody {
  bytes: Buffer;
  /** True when the body was longer than the limit and the rest was discarded. */
  truncated: boolean;
}

/**
 * Reads at most `limit` bytes of a body. Once the limit is passed the stream is destroyed, so a
 * huge or endless response costs no more memory than the limit and frees its connection.
 */
export async function readLimited(body: Readable, limit: number): Promise<LimitedBody> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size + chunk.length > limit) {
      chunks.push(chunk.subarray(0, limit - size));
      body.destroy();
      return { bytes: Buffer.concat(chunks), truncated: true };
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  return { bytes: Buffer.concat(chunks), truncated: false };
}
