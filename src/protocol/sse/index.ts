/**
 * Server-sent events, both ways: a streaming parser that follows the WHATWG event-stream rules,
 * and a writer whose output cannot reach a client as an empty event.
 */
export type { SseEvent } from './sse-event.js';
export {
  createSseParser,
  parseSseStream,
  DEFAULT_SSE_MAX_LENGTH,
  type SseParser,
  type SseParserOptions,
  type SseEndState,
  type ParseSseStreamOptions,
} from './sse-parser.js';
export { formatSseEvent, SSE_KEEPALIVE, type SseOutgoingEvent } from './sse-writer.js';
