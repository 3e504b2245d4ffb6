import type { CollectedResponse } from '../core/collect.js';
import type { ModelRequest } from '../core/conversation.js';
import type { Usage } from '../core/events.js';
import { CHARS_PER_TOKEN, estimateInputTokens } from '../core/token-estimate.js';

/**
 * Usage for a call whose provider reported none: an estimate from the characters sent and
 * received, marked `estimated` so it is never mistaken for the provider's count and never
 * silently zero.
 */
export function estimateUsage(request: ModelRequest, response: CollectedResponse): Usage {
  let output = response.text.length;
  for (const call of response.toolCalls) output += call.name.length + call.arguments.length;
  return {
    inputTokens: estimateInputTokens(request),
    outputTokens: Math.ceil(output / CHARS_PER_TOKEN),
    estimated: true,
  };
}
