import type { Message, ModelRequest } from '../../core/index.js';

/** A flat charge for an image part, whatever its size: inline data must not be counted as text. */
const IMAGE_CHARACTERS = 340;

/** A deterministic prompt-size estimate: about one token per four characters, at least 1. */
export function estimateInputTokens(request: ModelRequest): number {
  let characters = 0;
  for (const message of request.messages) characters += messageCharacters(message);
  for (const tool of request.tools ?? []) {
    characters += tool.name.length + (tool.description?.length ?? 0);
    characters += JSON.stringify(tool.parameters).length;
  }
  return Math.max(1, Math.ceil(characters / 4));
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
