import { CHARACTER_COUNTING, type TokenCounting } from '../core/token-estimate.js';
import type { Usage } from '../core/events.js';
import type { TurnInput } from '../runtime/index.js';

/** Output tokens reserved for a call whose request sets no `max_tokens`. */
export const DEFAULT_OUTPUT_RESERVATION = 1_024;

/**
 * Tokens reserved for a turn before its first call: the prompt as the route's first model counts
 * it (characters / 4 without a counter) plus the allowed output.
 */
export function reserveTokens(
  input: TurnInput,
  counting: TokenCounting = CHARACTER_COUNTING,
): number {
  const prompt = counting.prompt({ messages: input.messages });
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
