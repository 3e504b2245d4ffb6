/**
 * Context windows of common models in tokens (input and output together), as the providers
 * document them (OpenAI's model pages and Anthropic's models overview, checked 2026-11). A dated
 * snapshot id takes the window of its longest listed prefix, as prices do. `models.<name>.
 * contextWindow` in config wins over every entry here.
 */
export const CONTEXT_WINDOWS: Readonly<Record<string, number>> = {
  'gpt-5': 400_000,
  'gpt-4.1': 1_047_576,
  'gpt-4o': 128_000,
  'gpt-4-turbo': 128_000,
  'gpt-3.5-turbo': 16_385,
  o1: 200_000,
  o3: 200_000,
  'o4-mini': 200_000,
  claude: 200_000,
  // The simulated model has no real window; this one is small enough to show pruning at work.
  'rampart-sim': 32_768,
};

/** The window assumed for a model the list does not know: small enough to be safe on most. */
export const DEFAULT_CONTEXT_WINDOW = 32_768;

/** The listed window of a provider model id, by its longest listed prefix; undefined if none. */
export function catalogContextWindow(modelId: string): number | undefined {
  let best: string | undefined;
  for (const key of Object.keys(CONTEXT_WINDOWS)) {
    if (!modelId.startsWith(key)) continue;
    if (best === undefined || key.length > best.length) best = key;
  }
  return best === undefined ? undefined : CONTEXT_WINDOWS[best];
}

/**
 * The window a route's requests must fit: the configured one, else the smallest listed window
 * over its targets (any of them may serve the call), else the default.
 */
export function routeContextWindow(options: {
  configured: number | undefined;
  modelIds: readonly string[];
}): number {
  if (options.configured !== undefined) return options.configured;
  const listed = options.modelIds.map((id) => catalogContextWindow(id));
  const known = listed.filter((window): window is number => window !== undefined);
  if (known.length === 0 || known.length < listed.length) {
    // One unknown target is enough to make the default the safe bound.
    return Math.min(DEFAULT_CONTEXT_WINDOW, ...known);
  }
  return Math.min(...known);
}
