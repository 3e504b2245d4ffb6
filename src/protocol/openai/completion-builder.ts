import { RampartError, type CollectedResponse } from '../../core/index.js';
import { toOpenAIFinishReason } from './finish-reason.js';
import { toOpenAIUsage } from './usage.js';

/** Who the completion is. */
export interface ChatCompletionIdentity {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
}

/**
 * The non-streaming `chat.completion` object for a collected response. `message.content` is
 * null when the answer is only tool calls. A failed response has no completion: it throws the
 * collected error, which the caller sends as an error body instead.
 */
export function buildChatCompletion(
  identity: ChatCompletionIdentity,
  collected: CollectedResponse,
): Record<string, unknown> {
  if (collected.error) throw collected.error;
  if (collected.finishReason === 'error') {
    throw new RampartError('RAMPART_INTERNAL', 'A failed response has no completion');
  }
  const hasCalls = collected.toolCalls.length > 0;
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: hasCalls && collected.text === '' ? null : collected.text,
    refusal: null,
  };
  if (hasCalls) {
    message.tool_calls = collected.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }));
  }
  const completion: Record<string, unknown> = {
    id: identity.id,
    object: 'chat.completion',
    created: identity.created,
    model: identity.model,
    choices: [
      {
        index: 0,
        message,
        logprobs: null,
        finish_reason: toOpenAIFinishReason(collected.finishReason),
      },
    ],
  };
  if (collected.usage) completion.usage = toOpenAIUsage(collected.usage);
  return completion;
}
