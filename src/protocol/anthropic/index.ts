/**
 * Anthropic's Messages API wire format, in all four directions: client requests in
 * (`parseMessagesRequest`), upstream requests out (`toMessagesBody`), upstream answers in
 * (`decodeMessagesStream`, `decodeMessage`) and client answers out
 * (`createMessagesEventEncoder`, `buildMessage`).
 */
export { parseMessagesRequest, type ParsedMessagesRequest } from './parse-messages-request.js';
export {
  formatRefusal,
  toMessagesBody,
  toolInput,
  MAX_INVALID_ARGUMENTS_LENGTH,
  type InvalidArgumentsInput,
  type ToMessagesBodyOptions,
} from './to-messages-body.js';
export {
  createMessagesEventEncoder,
  errorEvent,
  pingEvent,
  type MessagesEventEncoder,
  type MessagesEventEncoderOptions,
} from './messages-event-encoder.js';
export { buildMessage, type BuildMessageOptions } from './build-message.js';
export { decodeMessagesStream, MessagesStreamDecoder } from './messages-stream-decoder.js';
export { decodeMessage } from './decode-message.js';
export {
  anthropicErrorTypeOf,
  fromAnthropicError,
  toAnthropicErrorBody,
  toAnthropicErrorType,
} from './error-type.js';
export type * from './wire-types.js';
