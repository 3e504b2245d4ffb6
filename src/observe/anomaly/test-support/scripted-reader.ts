import type { WindowReader, WindowSummary } from '../../window-summary.js';

/** What a scripted window holds, decided by the window's end. */
export interface Script {
  /** `provider/model` → p95 latency in ms (and 100 calls); absent: no calls. */
  latency?: (to: number) => Record<string, number>;
  /** Tool → calls and errors; absent: no calls. */
  tools?: (to: number) => Record<string, { calls: number; errors: number }>;
}

/**
 * A WindowReader whose windows hold exactly the values a test chooses, so the thresholds of
 * the rule can be hit to the unit. Every window has 100 turns and no cost.
 */
export function scriptedReader(script: Script): WindowReader {
  return {
    summarize: async (from, to): Promise<WindowSummary> => {
      const models = Object.fromEntries(
        Object.entries(script.latency?.(to) ?? {}).map(([model, latencyP95Ms]) => [
          model,
          { calls: 100, latencyP95Ms },
        ]),
      );
      return {
        from,
        to,
        turns: 100,
        tools: script.tools?.(to) ?? {},
        models,
        modelCalls: 100 * Object.keys(models).length,
        fallbacks: 0,
        conversations: { ended: 0, turns: 0 },
        costNanos: 0,
      };
    },
  };
}
