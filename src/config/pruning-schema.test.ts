import { describe, expect, it } from 'vitest';
import { isRampartError } from '../core/errors.js';
import { loadConfig } from './load.js';

describe('pruning config', () => {
  it('is on by default with the documented budgets', () => {
    const { pruning } = loadConfig();
    expect(pruning).toEqual({
      enabled: true,
      budgets: { system: 2_000, summary: 1_000, recent: 6_000, toolResults: 4_000 },
      recentTurns: 4,
      outputReserveTokens: 4_096,
      stateless: 'fit',
    });
  });

  it('refuses a summary model that is not under models, naming the key', () => {
    try {
      loadConfig({ object: { pruning: { summaryModel: 'cheap' } } });
      throw new Error('expected the config to be refused');
    } catch (error) {
      expect(isRampartError(error, 'RAMPART_CONFIG_INVALID')).toBe(true);
      expect((error as Error).message).toContain(
        'pruning.summaryModel: unknown model "cheap" (known: rampart-sim-1)',
      );
    }
  });

  it('refuses a context window too small to hold anything', () => {
    const models = { tiny: { provider: 'simulated', model: 'x', contextWindow: 100 } };
    expect(() => loadConfig({ object: { models } })).toThrow(/models\.tiny\.contextWindow/);
  });
});
