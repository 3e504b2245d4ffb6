import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { createLogger } from '../../core/logger.js';
import { createProviders } from '../../providers/index.js';
import { pruningStage } from './pruning-stage.js';

function startWarnings(models: Record<string, unknown>): unknown[] {
  const lines: unknown[] = [];
  const destination = { write: (line: string) => lines.push(JSON.parse(line)) };
  const logger = createLogger({ level: 'warn', destination });
  const config = loadConfig({ object: { models } });
  pruningStage({ config, providers: createProviders(config.providers, {}, logger), logger });
  return lines;
}

describe('pruningStage at start', () => {
  it('names the models whose window it does not know', () => {
    const lines = startWarnings({
      known: { provider: 'simulated', model: 'gpt-4o' },
      set: { provider: 'simulated', model: 'my-llama', contextWindow: 8_192 },
      guessed: {
        provider: 'simulated',
        model: 'gpt-4o',
        fallbacks: [{ provider: 'simulated', model: 'my-llama' }],
      },
    });
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'context window unknown; pruning assumes the default',
        models: ['guessed'],
        contextWindow: 32_768,
      }),
    ]);
  });

  it('says nothing when every window is known', () => {
    expect(startWarnings({ known: { provider: 'simulated', model: 'claude-haiku-4-5' } })).toEqual(
      [],
    );
  });
});
