import type { CollectedResponse } from './collect.js';
import type { Message, ModelRequest } from './conversation.js';
import type { Usage } from './events.js';

/** A flat charge for an image part, whatever its size: inline data must not be counted as text. */
const IMAGE_CHARACTERS = 340;

/** Characters per token of English-like text: a rough rule, corrected wherever usage is reported. */
export const CHARS_PER_TOKEN = 4;

/**
 * A deterministic prompt-size estimate: about one token per four characters, at least 1. Used
 * where no provider count exists yet (reserving a rate-limit budget, the simulated model) or
 * ever (a provider that reports no usage).
 */
export function estimateInputTokens(request: Pick<ModelRequest, 'messages' | 'tools'>): number {
  let characters = 0;
  for (const message of request.messages) characters += messageCharacters(message);
  for (const tool of request.tools ?? []) {
    characters += tool.name.length + (tool.description?.length ?? 0);
    characters += JSON.stringify(tool.parameters).length;
  }
  return Math.max(1, Math.ceil(characters / CHARS_PER_TOKEN));
}

function messageCharacters(message: Message): number {
  switch (message.role) {
    case 'system':
    case 'tool':
      return message.content.length;
    case 'user': {
      let characters = 0;
      for (const part of message.content) {
        characters += part.type === 'text' ? part.text.length : IMAGE_CHARACTERS;
      }
      return characters;
    }
    case 'assistant': {
      let characters = 0;
      for (const part of message.content) characters += part.text.length;
      for (const call of message.toolCalls) characters += call.name.length + call.arguments.length;
      return characters;
    }
  }
}

/**
 * Usage for a call whose provider reported none: an estimate from the characters sent and
 * received, marked `estimated` so it is never mistaken for the provider's count and never
 * silently zero.
 */
export function estimateUsage(
  request: Pick<ModelRequest, 'messages' | 'tools'>,
  response: Pick<CollectedResponse, 'text' | 'toolCalls'>,
): Usage {
  let output = response.text.length;
  for (const call of response.toolCalls) output += call.name.length + call.arguments.length;
  return {
    inputTokens: estimateInputTokens(request),
    outputTokens: Math.ceil(output / CHARS_PER_TOKEN),
    estimated: true,
  };
}
