/**
 * The OpenAI Chat Completions wire format
 * (https://platform.openai.com/docs/api-reference/chat), all four ways: client requests in,
 * upstream request bodies out, streamed chunks and whole completions out to clients, and
 * upstream streams and bodies back in as model events.
 */
export { parseChatCompletionRequest, type ParsedChatRequest } from './parse-request.js';
export { toChatCompletionBody, type ChatCompletionBodyOptions } from './request-body.js';
export {
  createChatChunkEncoder,
  type ChatChunkEncoder,
  type ChatChunkEncoderOptions,
} from './chunk-encoder.js';
export { buildChatCompletion, type ChatCompletionIdentity } from './completion-builder.js';
export { decodeChatCompletionStream, type DecodeStreamOptions } from './stream-decoder.js';
export { decodeChatCompletion } from './completion-decoder.js';
export { errorFromPayload } from './inband-error.js';
export { toOpenAIUsage, fromOpenAIUsage, type OpenAIUsage } from './usage.js';
export {
  toOpenAIFinishReason,
  fromOpenAIFinishReason,
  type OpenAIFinishReason,
} from './finish-reason.js';
