import { RampartError } from '../../core/index.js';
import {
  parseSseStream,
  type ParseSseStreamOptions,
  type SseEvent,
} from '../../protocol/sse/index.js';

/** The default cap for a JSON response body: enough for a long completion, not for a runaway. */
export const DEFAULT_MAX_JSON_BYTES = 16 * 1024 * 1024;

/** The default cap for an error body: only its message is kept. */
export const DEFAULT_MAX_ERROR_BYTES = 64 * 1024;

/** Text read from a body, and whether the cap cut it short. */
export interface BodyText {
  text: string;
  truncated: boolean;
}

/**
 * Reads a body as UTF-8 text, up to `maxBytes`. Past the cap it stops reading, which releases the
 * connection, and reports the text as truncated.
 */
export async function readBodyText(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number = DEFAULT_MAX_ERROR_BYTES,
): Promise<BodyText> {
  const decoder = new TextDecoder('utf-8');
  let text = '';
  let size = 0;
  for await (const chunk of body) {
    const room = maxBytes - size;
    size += chunk.length;
    text += decoder.decode(chunk.subarray(0, Math.max(0, room)), { stream: true });
    if (size > maxBytes) return { text: text + decoder.decode(), truncated: true };
  }
  return { text: text + decoder.decode(), truncated: false };
}

/**
 * Reads and parses a JSON body. A body over the cap, or one that is not JSON, rejects with
 * `RAMPART_UPSTREAM_BAD_RESPONSE`.
 */
export async function readJsonBody(
  body: AsyncIterable<Uint8Array>,
  maxBytes: number = DEFAULT_MAX_JSON_BYTES,
): Promise<unknown> {
  const { text, truncated } = await readBodyText(body, maxBytes);
  if (truncated) {
    throw new RampartError(
      'RAMPART_UPSTREAM_BAD_RESPONSE',
      `Upstream response body is larger than ${maxBytes} bytes`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new RampartError('RAMPART_UPSTREAM_BAD_RESPONSE', 'Upstream response is not valid JSON', {
      cause: error,
    });
  }
}

/** Reads a body as a stream of server-sent events. */
export function readSseEvents(
  body: AsyncIterable<Uint8Array>,
  options: ParseSseStreamOptions = {},
): AsyncGenerator<SseEvent, void, undefined> {
  return parseSseStream(body, options);
}
