import { RampartError } from '../../core/index.js';
import type { HttpResponse } from './http-transport.js';

/** The two bodies a successful model call may carry. */
export type AnswerBodyKind = 'event-stream' | 'json';

const WRONG_TYPE =
  'Upstream response has the wrong content type: expected text/event-stream or application/json';

/** Media types are echoed in error messages; a hostile header is cut to this length. */
const MAX_SHOWN_LENGTH = 100;

/**
 * Which body a successful upstream response carries, from its `content-type`: `text/event-stream`
 * is a stream, `application/json` a whole answer (a server that ignored `stream: true`). A
 * response without the header is read as the stream the request asked for. Any other type (an
 * HTML page from a proxy or a login wall, say) cancels the body, which closes the connection, and
 * throws `RAMPART_UPSTREAM_BAD_RESPONSE`, rather than being read as a stream that ends early.
 */
export function answerBodyKind(response: HttpResponse): AnswerBodyKind {
  const mediaType = mediaTypeOf(response.headers['content-type'] ?? '');
  if (mediaType === 'text/event-stream' || mediaType === '') return 'event-stream';
  if (mediaType === 'application/json') return 'json';

  response.cancel();
  const shown = mediaType.slice(0, MAX_SHOWN_LENGTH);
  throw new RampartError('RAMPART_UPSTREAM_BAD_RESPONSE', `${WRONG_TYPE}, got ${shown}`);
}

/** `Text/Event-Stream; charset=utf-8` becomes `text/event-stream`. */
function mediaTypeOf(header: string): string {
  const end = header.indexOf(';');
  return (end === -1 ? header : header.slice(0, end)).trim().toLowerCase();
}
