import type { ModelRequest } from '../core/conversation.js';
import { countTargetOf, estimateInputTokens, type TokenCounts } from '../core/token-estimate.js';
import type { RouteTarget } from '../resilience/index.js';

/**
 * Prompt tokens of a model call before it is sent, for the worst case a budget reserves: the
 * most any target of the route would count, since any of them may end up serving the call and
 * encodings differ. Without a counter, the character estimate.
 */
export function promptTokens(
  request: Pick<ModelRequest, 'messages' | 'tools'>,
  options: { targets: readonly RouteTarget[]; tokens: TokenCounts | undefined },
): number {
  const { targets, tokens } = options;
  if (!tokens || targets.length === 0) return estimateInputTokens(request);
  let most = 0;
  const seen = new Set<string>();
  for (const target of targets) {
    if (seen.has(target.id)) continue;
    seen.add(target.id);
    most = Math.max(most, tokens.counting(countTargetOf(target)).prompt(request));
  }
  return most;
}
