import type { Usage } from '../../core/index.js';
import type { AnthropicUsage } from './wire-types.js';

/**
 * Neutral usage to Anthropic's. Both count `input_tokens` without the cached part, so the numbers
 * map one to one: https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching
 */
export function toAnthropicUsage(usage: Usage): AnthropicUsage {
  const wire: AnthropicUsage = {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
  };
  if (usage.cacheWriteInputTokens !== undefined) {
    wire.cache_creation_input_tokens = usage.cacheWriteInputTokens;
  }
  if (usage.cachedInputTokens !== undefined) wire.cache_read_input_tokens = usage.cachedInputTokens;
  return wire;
}

/** Reads a count from an upstream usage object, ignoring anything that is not a count. */
export function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
