import { estimateInputTokens } from '../core/token-estimate.js';
import type { Usage } from '../core/events.js';
import type { TurnInput } from '../runtime/index.js';

/** Output tokens reserved for a call whose request sets no `max_tokens`. */
export const DEFAULT_OUTPUT_RESERVATION = 1_024;

/** Tokens reserved for a turn before its first call: the prompt estimate plus the allowed output. */
export function reserveTokens(input: TurnInput): number {
  const prompt = estimateInputTokens({ messages: input.messages });
  return prompt + (input.options.maxTokens ?? DEFAULT_OUTPUT_RESERVATION);
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
