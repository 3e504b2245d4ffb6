import type { ProviderConfig } from '../config/index.js';
import { RampartError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { createAnthropicProvider } from './anthropic/index.js';
import { createOpenAIProvider } from './openai/index.js';
import type { Provider } from './provider.js';
import { createSimulatedProvider } from './simulated/index.js';

export type { Provider, ProviderKind, ProviderCallOptions } from './provider.js';
export { createAnthropicProvider } from './anthropic/index.js';
export { createOpenAIProvider } from './openai/index.js';
export { createSimulatedProvider } from './simulated/index.js';

type Env = Readonly<Record<string, string | undefined>>;

function apiKeyOf(name: string, config: { apiKey?: string; apiKeyEnv?: string }, env: Env) {
  if (config.apiKey !== undefined) return config.apiKey;
  if (config.apiKeyEnv === undefined) return undefined;
  const value = env[config.apiKeyEnv];
  if (value === undefined || value === '') {
    const key = `providers.${name}.apiKeyEnv`;
    throw new RampartError(
      'RAMPART_CONFIG_INVALID',
      `${key}: the environment variable ${config.apiKeyEnv} is not set`,
    );
  }
  return value;
}

/** Creates one provider from its config entry. */
export function createProvider(
  name: string,
  config: ProviderConfig,
  env: Env = {},
  logger?: Logger,
): Provider {
  switch (config.type) {
    case 'simulated':
      return createSimulatedProvider({ name, ...config });
    case 'openai':
      return createOpenAIProvider({
        name,
        baseUrl: config.baseUrl,
        apiKey: apiKeyOf(name, config, env),
        headers: config.headers,
        timeouts: config.timeouts,
        ...(logger ? { logger } : {}),
      });
    case 'anthropic':
      return createAnthropicProvider({
        name,
        baseUrl: config.baseUrl,
        apiKey: apiKeyOf(name, config, env),
        headers: config.headers,
        timeouts: config.timeouts,
        version: config.version,
        defaultMaxTokens: config.defaultMaxTokens,
        ...(logger ? { logger } : {}),
      });
  }
}

/** Creates every configured provider, keyed by its name. */
export function createProviders(
  configs: Readonly<Record<string, ProviderConfig>>,
  env: Env = {},
  logger?: Logger,
) {
  const providers = new Map<string, Provider>();
  for (const [name, config] of Object.entries(configs)) {
    providers.set(name, createProvider(name, config, env, logger));
  }
  return providers;
}
