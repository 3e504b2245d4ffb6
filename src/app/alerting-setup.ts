import type { RampartConfig } from '../config/index.js';
import type { Logger } from '../core/logger.js';
import { anomalySetup, type AnomalySetup, type Stats } from '../observe/index.js';
import type { Backends } from './backends.js';

export interface AlertingSetupOptions {
  config: RampartConfig;
  /** The stats rollups whose windows the detector reads; absent when `observe.stats` is off. */
  stats: Stats | undefined;
  backends: Pick<Backends, 'alerts' | 'baselines'>;
  logger: Logger;
  env: Readonly<Record<string, string | undefined>>;
  /** Wall-clock milliseconds: the telemetry hub's clock. */
  now: () => number;
}

/** The least wait before a slot is recorded, whatever the flush interval. */
const MIN_SETTLE_MS = 60_000;

/**
 * Starts the anomaly detector and static thresholds over the stats rollups, with their alerts
 * and webhooks in the backends' alert store. Nothing runs when neither is configured, or when
 * `observe.stats` is off (there is then nothing to read, which is logged once).
 */
export function alertingSetup(options: AlertingSetupOptions): AnomalySetup | undefined {
  const { config, stats, logger } = options;
  const { anomaly, alerts } = config.observe;
  if (!anomaly.enabled && alerts.thresholds.length === 0) return undefined;
  if (!stats) {
    logger.warn('observe.stats is off, so no anomaly or threshold alert can be raised');
    return undefined;
  }
  const setup = anomalySetup({
    config: config.observe,
    reader: stats.reader,
    stores: { alerts: options.backends.alerts, baselines: options.backends.baselines },
    logger: logger.child({ component: 'alerts' }),
    now: options.now,
    env: options.env,
    source: config.source,
    // A slot is complete once every instance has flushed its last minute to the rollups.
    settleMs: Math.max(MIN_SETTLE_MS, config.observe.stats.flushMs + 30_000),
  });
  setup.start();
  return setup;
}
