import type { RampartConfig } from '../config/index.js';
import type { Logger } from '../core/logger.js';
import {
  ConversationTracker,
  createMetricSet,
  metricsSink,
  Telemetry,
  telemetryStage,
  type MetricSet,
} from '../observe/index.js';

/** Longest pause between sweeps for quiet conversations: ends are seen within this of the idle time. */
const MAX_SWEEP_MS = 60_000;

/**
 * The telemetry hub, the Prometheus series fed from it, and the stage that reports each turn.
 * The sweep that ends quiet conversations runs on a timer that never keeps the process alive.
 */
export function observeSetup(
  config: RampartConfig,
  logger: Logger,
  options: { now?: () => number } = {},
) {
  const telemetry = new Telemetry({ logger, ...(options.now ? { now: options.now } : {}) });
  const { metrics: metricsConfig, conversationIdleMs, maxConversations } = config.observe;
  let metrics: MetricSet | undefined;
  if (metricsConfig.enabled) {
    // A scrape first delivers the turns the telemetry stage holds, so it sees every one before it.
    metrics = createMetricSet({
      defaultMetrics: metricsConfig.process,
      beforeRead: () => telemetry.flush(),
    });
    telemetry.subscribe(metricsSink(metrics));
  }
  const conversations = new ConversationTracker({
    telemetry,
    idleMs: conversationIdleMs,
    maxConversations,
  });
  const sweepMs = Math.min(MAX_SWEEP_MS, Math.max(1_000, Math.floor(conversationIdleMs / 4)));
  const stage = telemetryStage({ telemetry, conversations, logger });
  // Held turns first: a conversation with a turn still held is not quiet.
  const sweeper = setInterval(() => {
    telemetry.flush();
    conversations.sweep(telemetry.now());
  }, sweepMs);
  sweeper.unref();
  return {
    telemetry,
    metrics,
    conversations,
    stage,
    /** Delivers the turns still held (before the stats' last flush) and stops the timers. */
    stop() {
      clearInterval(sweeper);
      stage.stop();
    },
  };
}
