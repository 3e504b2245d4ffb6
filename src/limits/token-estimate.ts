import { textOf, type ModelRequest } from '../core/conversation.js';
import type { Usage } from '../core/events.js';
import type { TurnInput } from '../runtime/index.js';

/** Output tokens reserved for a call whose request sets no `max_tokens`. */
export const DEFAULT_OUTPUT_RESERVATION = 1_024;

/** Characters per token: a rough rule, corrected by the reported usage after the call. */
const CHARS_PER_TOKEN = 4;

function promptCharacters(messages: ModelRequest['messages']): number {
  let characters = 0;
  for (const message of messages) {
    characters +=
      typeof message.content === 'string' ? message.content.length : textOf(message.content).length;
    if (message.role === 'assistant') {
      for (const call of message.toolCalls) characters += call.arguments.length + call.name.length;
    }
  }
  return characters;
}

/** Tokens reserved for a turn before its first call: the prompt estimate plus the allowed output. */
export function reserveTokens(input: TurnInput): number {
  const prompt = Math.ceil(promptCharacters(input.messages) / CHARS_PER_TOKEN);
  return Math.max(1, prompt + (input.options.maxTokens ?? DEFAULT_OUTPUT_RESERVATION));
}

/** Every token a turn was billed for, cached ones included. */
export function usedTokens(usage: Usage): number {
  return (
    usage.inputTokens +
    usage.outputTokens +
    (usage.cachedInputTokens ?? 0) +
    (usage.cacheWriteInputTokens ?? 0)
  );
}
