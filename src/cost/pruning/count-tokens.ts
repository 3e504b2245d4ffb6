import type { Message, ModelRequest } from '../../core/conversation.js';
import { estimateInputTokens } from '../../core/token-estimate.js';

/**
 * Framing every provider adds around a message (role, separators): a few tokens the text
 * estimate does not see, counted so that many tiny messages cannot slip past a window.
 */
const MESSAGE_OVERHEAD = 4;

/**
 * The one place pruning counts tokens: what a request (or part of one) costs in the model's
 * window. Counting per message and adding up never gives less than counting the whole.
 */
export function countTokens(request: Pick<ModelRequest, 'messages' | 'tools'>): number {
  const tools = request.tools?.length
    ? estimateInputTokens({ messages: [], tools: request.tools })
    : 0;
  let total = tools;
  for (const message of request.messages) total += messageTokens(message);
  return total;
}

const counted = new WeakMap<Message, number>();

/** One message's tokens, remembered: the tool loop counts the same messages on every call. */
export function messageTokens(message: Message): number {
  let tokens = counted.get(message);
  if (tokens === undefined) {
    tokens = estimateInputTokens({ messages: [message] }) + MESSAGE_OVERHEAD;
    counted.set(message, tokens);
  }
  return tokens;
}
