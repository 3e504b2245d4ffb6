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
 * How tokens are counted for one model: a prompt (messages and tool definitions) and a piece of
 * generated text. `cost/`'s token counter supplies one per target; without it, characters / 4.
 */
export interface TokenCounting {
  prompt(request: Pick<ModelRequest, 'messages' | 'tools'>): number;
  text(text: string): number;
}

/** The model a count is for: a route target's provider name, model id and provider type. */
export interface CountTarget {
  provider: string;
  model: string;
  /** The provider's type in config (`openai`, `anthropic`, `simulated`); absent: unknown. */
  kind?: string;
}

/** The count target of a route target (a provider and one of its models). */
export function countTargetOf(target: {
  provider: { name: string; kind: string };
  model: string;
}): CountTarget {
  return { provider: target.provider.name, model: target.model, kind: target.provider.kind };
}

/**
 * Token counting per model that learns from reported usage: what the runtime, the fallback
 * layer and admission are given (`cost/`'s `TokenCounter` is the implementation).
 */
export interface TokenCounts {
  /** Loads what counting for `target` needs (an encoding); call before `counting`. */
  prepare(target: CountTarget): Promise<void>;
  counting(target: CountTarget): TokenCounting;
  /** A provider's report of a request's usage on `target`, to correct estimates. */
  observe(
    target: CountTarget,
    request: Pick<ModelRequest, 'messages' | 'tools'>,
    usage: Usage,
  ): void;
}

/** The rough rule: four characters a token. */
export const CHARACTER_COUNTING: TokenCounting = {
  prompt: estimateInputTokens,
  text: (text) => Math.ceil(text.length / CHARS_PER_TOKEN),
};

/**
 * Usage for a call whose provider reported none: counted from what was sent and received,
 * marked `estimated` so it is never mistaken for the provider's count and never silently zero.
 */
export function estimateUsage(
  request: Pick<ModelRequest, 'messages' | 'tools'>,
  response: Pick<CollectedResponse, 'text' | 'toolCalls'>,
  counting: TokenCounting = CHARACTER_COUNTING,
): Usage {
  let output = counting.text(response.text);
  for (const call of response.toolCalls) output += counting.text(call.name + call.arguments);
  return { inputTokens: counting.prompt(request), outputTokens: output, estimated: true };
}
