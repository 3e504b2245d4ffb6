import type { Usage } from '../../core/index.js';

/** OpenAI's usage object (https://platform.openai.com/docs/api-reference/chat/object). */
export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

/**
 * Our usage as OpenAI reports it. OpenAI's `prompt_tokens` includes the cached tokens, so every
 * kind of prompt token is added back into it.
 */
export function toOpenAIUsage(usage: Usage): OpenAIUsage {
  const cached = usage.cachedInputTokens ?? 0;
  const prompt = usage.inputTokens + cached + (usage.cacheWriteInputTokens ?? 0);
  return {
    prompt_tokens: prompt,
    completion_tokens: usage.outputTokens,
    total_tokens: prompt + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: cached },
  };
}

/**
 * Reads an upstream usage object. Cached tokens are split out of `prompt_tokens` so they are
 * not billed at the full input price (field case P20); when a server reports more cached
 * tokens than prompt tokens, the full-price count is clamped at zero, never negative.
 */
export function fromOpenAIUsage(value: unknown): Usage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const details = record.prompt_tokens_details as Record<string, unknown> | null | undefined;
  const prompt = count(record.prompt_tokens);
  const cached = count(details?.cached_tokens);
  const usage: Usage = {
    inputTokens: Math.max(0, prompt - cached),
    outputTokens: count(record.completion_tokens),
  };
  if (cached > 0) usage.cachedInputTokens = cached;
  return usage;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}
