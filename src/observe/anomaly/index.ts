/**
 * Anomaly detection over the key series (tool error rate per tool, p95 latency per model,
 * conversation length, cost per hour, fallback rate) against a time-of-day baseline, static
 * thresholds, and the alerts and webhooks they raise.
 */
export {
  /** Builds the detector and the webhook sender over the given stores; call `start()`. */
  anomalySetup,
  /** Webhooks with their `secretEnv` secrets read. */
  resolveWebhooks,
  type AnomalySetup,
  type AnomalySetupOptions,
} from './anomaly-setup.js';
export {
  /** One evaluation of the current window; `tick()` is what the timer runs. */
  AnomalyEvaluator,
  type AnomalyEvaluatorOptions,
  type TickResult,
} from './evaluator.js';
export { seriesValues, type SeriesValue } from './series.js';
