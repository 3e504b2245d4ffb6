import { expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { configuredTargets } from './configured-targets.js';

it('lists every routed target once, fallbacks included, with its provider type', () => {
  const config = loadConfig({
    object: {
      providers: {
        oa: { type: 'openai', baseUrl: 'http://127.0.0.1:1/v1', apiKey: 'k' },
        an: { type: 'anthropic', baseUrl: 'http://127.0.0.1:1', apiKey: 'k' },
      },
      models: {
        big: { provider: 'oa', model: 'gpt-4o', fallbacks: [{ provider: 'an', model: 'claude' }] },
        small: { provider: 'an', model: 'claude' },
      },
      assistants: { default: { model: 'big' } },
    },
    env: {},
    overrides: {},
  });
  expect(configuredTargets(config)).toEqual([
    { provider: 'oa', model: 'gpt-4o', kind: 'openai' },
    { provider: 'an', model: 'claude', kind: 'anthropic' },
  ]);
});
