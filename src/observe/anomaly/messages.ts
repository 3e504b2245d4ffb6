import type { SeriesName, ThresholdConfig } from '../../config/observe-anomaly-schema.js';
import type { Baseline } from './baseline.js';

/** Four significant digits: enough to read, few enough to scan. */
function number(value: number): string {
  return Number(value.toPrecision(4)).toString();
}

/** A series' value the way an operator reads it. */
export function formatValue(series: SeriesName, value: number): string {
  switch (series) {
    case 'tool_error_rate':
    case 'fallback_rate':
      return `${number(value * 100)}%`;
    case 'model_latency_p95':
      return `${number(value)} ms`;
    case 'conversation_length':
      return `${number(value)} turns`;
    case 'cost_per_hour':
      return `$${number(value)}/h`;
  }
}

/** What the series is, for a sentence: "The error rate of tool search". */
export function seriesLabel(series: SeriesName, key: string): string {
  switch (series) {
    case 'tool_error_rate':
      return `The error rate of tool ${key}`;
    case 'model_latency_p95':
      return `The p95 latency of ${key}`;
    case 'conversation_length':
      return 'The average conversation length';
    case 'cost_per_hour':
      return 'The cost per hour';
    case 'fallback_rate':
      return 'The fallback rate';
  }
}

export function anomalyMessage(options: {
  series: SeriesName;
  key: string;
  value: number;
  baseline: Baseline;
  deviations: number;
  sustainMinutes: number;
}): string {
  const { series, key, value, baseline, deviations } = options;
  const side = deviations >= 0 ? 'above' : 'below';
  return (
    `${seriesLabel(series, key)} is ${formatValue(series, value)}, against a usual ` +
    `${formatValue(series, baseline.median)} at this time of day (median of ${baseline.days} ` +
    `days, MAD ${number(baseline.mad)}): ${number(Math.abs(deviations))} deviations ${side} ` +
    `for ${options.sustainMinutes} min.`
  );
}

export function thresholdMessage(
  series: SeriesName,
  key: string,
  value: number,
  rule: ThresholdConfig,
) {
  return (
    `${seriesLabel(series, key)} is ${formatValue(series, value)}, ${rule.direction} the limit ` +
    `of ${formatValue(series, rule.value)} for ${rule.sustainMinutes} min.`
  );
}
