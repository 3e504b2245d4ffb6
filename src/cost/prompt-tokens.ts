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
    most = Math.max(
      most,
      remembered(request, target.id, () => countOn(target, request, tokens)),
    );
  }
  return most;
}

function countOn(
  target: RouteTarget,
  request: Pick<ModelRequest, 'messages' | 'tools'>,
  tokens: TokenCounts,
): number {
  return tokens.counting(countTargetOf(target)).prompt(request);
}

/**
 * Counts by message list and target: pruning checks the request it fitted and the budget then
 * reserves for that same request, and an exact count of a long prompt is not free.
 */
const counts = new WeakMap<
  object,
  { tools: unknown; length: number; byTarget: Map<string, number> }
>();

function remembered(
  request: Pick<ModelRequest, 'messages' | 'tools'>,
  target: string,
  count: () => number,
): number {
  let entry = counts.get(request.messages);
  // The turn's message list grows between steps: a count holds for the length it was taken at.
  const { tools, messages } = request;
  if (!entry || entry.tools !== tools || entry.length !== messages.length) {
    entry = { tools, length: messages.length, byTarget: new Map() };
    counts.set(request.messages, entry);
  }
  let tokens = entry.byTarget.get(target);
  if (tokens === undefined) {
    tokens = count();
    entry.byTarget.set(target, tokens);
  }
  return tokens;
}
