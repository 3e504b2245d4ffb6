import type { ModelRequest } from '../core/conversation.js';
import { estimateInputTokens } from '../core/token-estimate.js';

/**
 * Prompt tokens of a model call before it is sent, for the worst case a budget reserves. The
 * one place that counts them, so a better counter replaces it here alone.
 */
export function promptTokens(request: Pick<ModelRequest, 'messages' | 'tools'>): number {
  return estimateInputTokens(request);
}
