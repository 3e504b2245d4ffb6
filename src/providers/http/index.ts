/**
 * Shared HTTP plumbing for providers that call an upstream over HTTP: a keep-alive transport
 * with timeouts by phase, status and network error mapping to RampartError codes, and body
 * readers (JSON with a size cap, text, server-sent events).
 */
export {
  createHttpTransport,
  DEFAULT_HTTP_TIMEOUTS,
  type HttpTimeouts,
  type HttpTransport,
  type HttpTransportOptions,
  type HttpPostOptions,
  type HttpResponse,
} from './http-transport.js';
export {
  mapTransportError,
  type MapTransportErrorOptions,
  type TransportPhase,
} from './transport-error.js';
export {
  upstreamErrorFromResponse,
  upstreamMessage,
  parseRetryAfter,
  retryAfterOf,
  headerValue,
  MAX_UPSTREAM_MESSAGE_LENGTH,
  type HeaderMap,
} from './upstream-status.js';
export { errorFromResponse } from './response-error.js';
export { answerBodyKind, type AnswerBodyKind } from './content-type.js';
export {
  readBodyText,
  readJsonBody,
  readSseEvents,
  DEFAULT_MAX_JSON_BYTES,
  DEFAULT_MAX_ERROR_BYTES,
  type BodyText,
} from './body.js';
