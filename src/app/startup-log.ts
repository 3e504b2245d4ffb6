import {
  DEFAULT_DATA_DIR,
  DEFAULTS_SOURCE,
  OBJECT_SOURCE,
  type RampartConfig,
} from '../config/index.js';
import type { Logger } from '../core/logger.js';
import type { KeyStore } from '../store/index.js';

/**
 * What an operator needs to see once the server listens: where, on what data, which models are
 * real and which simulated, and how to get a key when there is none yet.
 */
export async function logStartup(
  logger: Logger,
  config: RampartConfig,
  url: string,
  keys: KeyStore,
) {
  logger.info({ url, dataDir: config.dataDir, config: config.source }, 'rampart is listening');
  const byProvider = new Map<string, string[]>();
  for (const [name, model] of Object.entries(config.models)) {
    // A provider that serves a model only as a fallback is listed under it too.
    for (const provider of new Set([model.provider, ...model.fallbacks.map((t) => t.provider)])) {
      byProvider.set(provider, [...(byProvider.get(provider) ?? []), name]);
    }
  }
  for (const [name, provider] of Object.entries(config.providers)) {
    const models = byProvider.get(name) ?? [];
    if (provider.type === 'simulated') {
      logger.info(
        { provider: name, models },
        'simulated provider: its answers are generated locally, no real model is called',
      );
    } else {
      logger.info(
        { provider: name, type: provider.type, baseUrl: provider.baseUrl, models },
        'provider configured',
      );
    }
  }
  if ((await keys.list()).length === 0) {
    logger.info({ hint: keysHint(config) }, 'no API keys exist yet; every /v1 route needs one');
  }
}

/**
 * The command that creates a key in this server's store: with the config file and data
 * directory it was started with, since a key made in another store is refused as unknown.
 */
export function keysHint(config: Pick<RampartConfig, 'source' | 'dataDir'>): string {
  const flags: string[] = [];
  // Loaded from a file: its path is the source.
  if (config.source !== DEFAULTS_SOURCE && config.source !== OBJECT_SOURCE) {
    flags.push(`--config ${quoted(config.source)}`);
  }
  if (config.dataDir !== DEFAULT_DATA_DIR) flags.push(`--data-dir ${quoted(config.dataDir)}`);
  return ['npx rampart keys create', ...flags, '--user <id>'].join(' ');
}

/** A path as a shell reads it: quoted when it holds anything but plain path characters. */
function quoted(path: string): string {
  return /^[\w./@:-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
