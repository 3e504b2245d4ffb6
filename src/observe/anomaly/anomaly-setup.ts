import { randomBytes } from 'node:crypto';
import type {
  AlertsConfig,
  AnomalyConfig,
  WebhookConfig,
} from '../../config/observe-anomaly-schema.js';
import { configError } from '../../config/index.js';
import type { Logger } from '../../core/logger.js';
import { OutageLog } from '../../core/outage-log.js';
import type { AlertStore, BaselineStore } from '../../store/index.js';
import {
  createAlertDelivery,
  type AlertDelivery,
  type AlertWebhook,
} from '../alerts/alert-delivery.js';
import type { WindowReader } from '../window-summary.js';
import { AnomalyEvaluator } from './evaluator.js';

export interface AnomalySetupOptions {
  /** `observe.anomaly` and `observe.alerts`. */
  config: { anomaly: AnomalyConfig; alerts: AlertsConfig };
  /** Window summaries across every instance (the stats store). */
  reader: WindowReader;
  /** The backends' alert store and baseline history (SQLite embedded, Redis when shared). */
  stores: { alerts: AlertStore; baselines: BaselineStore };
  logger: Logger;
  /** Wall-clock milliseconds. Default `Date.now`; tests pass a fake clock. */
  now?: () => number;
  /** Where `secretEnv` variables are read. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Where the config came from, for error messages. Default `the config`. */
  source?: string;
  /** A number in [0, 1) for the webhook backoff's jitter. Default `Math.random`. */
  random?: () => number;
  /**
   * How long after a baseline slot ends every instance has flushed its figures to the reader:
   * the stats flush interval plus a margin. Default 60 s.
   */
  settleMs?: number;
}

/** The detector and the webhook sender, ready to start. */
export interface AnomalySetup {
  /** Evaluates every `evaluateEveryMs` and starts sending webhooks. */
  start(): void;
  /** Stops both after the evaluation and the delivery in flight, and gives up the lease. */
  stop(): Promise<void>;
  /** The alert store, for `GET /v1/alerts`. */
  readonly alerts: AlertStore;
  /** One evaluation now; the timer calls the same. */
  readonly evaluator: AnomalyEvaluator;
  readonly delivery: AlertDelivery;
}

/** Webhooks with their secrets read from the environment. */
export function resolveWebhooks(
  webhooks: readonly WebhookConfig[],
  env: Readonly<Record<string, string | undefined>>,
  source: string,
): AlertWebhook[] {
  return webhooks.map((webhook, index) => {
    const resolved: AlertWebhook = { url: webhook.url, headers: webhook.headers };
    if (webhook.secret !== undefined) resolved.secret = webhook.secret;
    if (webhook.secretEnv !== undefined) {
      const secret = env[webhook.secretEnv];
      if (secret === undefined || secret === '') {
        const key = `observe.alerts.webhooks[${index}].secretEnv`;
        throw configError(key, `the environment variable ${webhook.secretEnv} is not set`, source);
      }
      resolved.secret = secret;
    }
    return resolved;
  });
}

/**
 * Builds the anomaly detector and alert webhooks over the given stores. Every instance runs
 * both; the evaluator lease in the alert store lets one instance at a time evaluate, and the
 * outbox claims let each webhook go out once.
 */
export function anomalySetup(options: AnomalySetupOptions): AnomalySetup {
  const { config, logger } = options;
  const now = options.now ?? Date.now;
  const webhooks = resolveWebhooks(
    config.alerts.webhooks,
    options.env ?? process.env,
    options.source ?? 'the config',
  );
  const evaluator = new AnomalyEvaluator({
    anomaly: config.anomaly,
    alerts: config.alerts,
    reader: options.reader,
    alertStore: options.stores.alerts,
    baselines: options.stores.baselines,
    logger,
    now,
    instanceId: `instance_${randomBytes(9).toString('base64url')}`,
    ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
  });
  const delivery = createAlertDelivery({
    alerts: options.stores.alerts,
    webhooks,
    logger,
    ...config.alerts.delivery,
    now,
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  // Thresholds are evaluated on the same schedule when the anomaly detector itself is off.
  const evaluates = config.anomaly.enabled || config.alerts.thresholds.length > 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = true;

  const evaluations = new OutageLog({ logger, what: 'anomaly evaluations', now });

  async function evaluate(): Promise<void> {
    try {
      const result = await evaluator.tick();
      evaluations.succeeded();
      if (result.opened.length + result.resolved.length > 0) delivery.kick();
    } catch (error) {
      // Tried again at the next evaluation.
      evaluations.failed(error);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = undefined;
      running = evaluate().finally(() => {
        running = undefined;
        schedule();
      });
    }, config.anomaly.evaluateEveryMs);
    timer.unref();
  }

  return {
    alerts: options.stores.alerts,
    evaluator,
    delivery,
    start() {
      if (!stopped) return;
      stopped = false;
      delivery.start();
      if (evaluates) schedule();
    },
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
      await delivery.stop();
      await evaluator.release().catch((error: unknown) => {
        logger.warn({ err: error }, 'giving up the anomaly evaluator lease failed');
      });
    },
  };
}
