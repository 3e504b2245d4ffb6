import type { RampartConfig } from '../config/index.js';
import type { CountTarget } from '../core/index.js';

/**
 * Every model target the config can route to, as count targets: what the token counter should
 * have ready before traffic arrives. Loading an encoding blocks the event loop for tens of
 * milliseconds, so it is done at start, once, rather than in the middle of a stream.
 */
export function configuredTargets(config: RampartConfig): CountTarget[] {
  const targets = new Map<string, CountTarget>();
  for (const route of Object.values(config.models ?? {})) {
    for (const { provider, model } of [route, ...route.fallbacks]) {
      const kind = config.providers[provider]?.type;
      targets.set(`${provider}/${model}`, { provider, model, ...(kind ? { kind } : {}) });
    }
  }
  return [...targets.values()];
}
