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
      summaryTimeoutMs: 15_000,
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

  it('refuses a window the answer reserve leaves no prompt room in, naming both', () => {
    const models = { small: { provider: 'simulated', model: 'x', contextWindow: 2_048 } };
    expect(() => loadConfig({ object: { models } })).toThrow(
      'models.small.contextWindow: 2048 leaves 0 tokens for the prompt after pruning.outputReserveTokens (4096)',
    );
    const reserved = { models, pruning: { outputReserveTokens: 1_024 } };
    expect(() => loadConfig({ object: reserved })).not.toThrow();
    const off = { models, pruning: { enabled: false } };
    expect(() => loadConfig({ object: off })).not.toThrow();
  });
});
