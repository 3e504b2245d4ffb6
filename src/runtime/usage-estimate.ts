import type { CollectedResponse } from '../core/collect.js';
import { textOf, type ModelRequest } from '../core/conversation.js';
import type { Usage } from '../core/events.js';

/** Characters per token of English-like text: a rough, deliberately simple rule. */
const CHARS_PER_TOKEN = 4;

function tokensOf(characters: number): number {
  return Math.ceil(characters / CHARS_PER_TOKEN);
}

function requestCharacters(request: ModelRequest): number {
  let characters = 0;
  for (const message of request.messages) {
    if (message.role === 'system' || message.role === 'tool') characters += message.content.length;
    else characters += textOf(message.content).length;
    if (message.role === 'assistant') {
      for (const call of message.toolCalls) characters += call.name.length + call.arguments.length;
    }
  }
  for (const tool of request.tools ?? []) {
    characters += tool.name.length + (tool.description?.length ?? 0);
  }
  return characters;
}

/**
 * Usage for a call whose provider reported none: an estimate from the characters sent and
 * received, marked `estimated` so it is never mistaken for the provider's count and never
 * silently zero.
 */
export function estimateUsage(request: ModelRequest, response: CollectedResponse): Usage {
  let output = response.text.length;
  for (const call of response.toolCalls) output += call.name.length + call.arguments.length;
  return {
    inputTokens: Math.max(1, tokensOf(requestCharacters(request))),
    outputTokens: tokensOf(output),
    estimated: true,
  };
}
