import type { Message, ModelRequest, ToolSpec } from '../core/index.js';

/** What one message puts in front of the model, as texts to count, and its images. */
export interface MessageParts {
  role: string;
  texts: string[];
  images: number;
}

/** A request as the texts the model reads: per message, then the tool definitions. */
export interface PromptParts {
  messages: MessageParts[];
  tools: string[];
}

/** Splits a request into countable text, leaving inline image bytes out. */
export function promptParts(request: Pick<ModelRequest, 'messages' | 'tools'>): PromptParts {
  return {
    messages: request.messages.map(messageParts),
    tools: (request.tools ?? []).map(toolText),
  };
}

function messageParts(message: Message): MessageParts {
  switch (message.role) {
    case 'system':
      return { role: 'system', texts: [message.content], images: 0 };
    case 'tool':
      return { role: 'tool', texts: [message.toolCallId, message.content], images: 0 };
    case 'user': {
      const texts: string[] = [];
      let images = 0;
      for (const part of message.content) {
        if (part.type === 'text') texts.push(part.text);
        else images += 1;
      }
      return { role: 'user', texts, images };
    }
    case 'assistant': {
      const texts = message.content.map((part) => part.text);
      for (const call of message.toolCalls) texts.push(call.id, call.name, call.arguments);
      return { role: 'assistant', texts, images: 0 };
    }
  }
}

/** A tool definition as one text: its name, description and argument schema. */
function toolText(tool: ToolSpec): string {
  return `${tool.name}\n${tool.description ?? ''}\n${JSON.stringify(tool.parameters)}`;
}

/** Characters of every text of a prompt. */
export function promptCharacters(parts: PromptParts): number {
  let characters = 0;
  for (const message of parts.messages) for (const text of message.texts) characters += text.length;
  for (const tool of parts.tools) characters += tool.length;
  return characters;
}
