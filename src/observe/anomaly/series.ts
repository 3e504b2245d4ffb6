import type { SeriesName } from '../../config/observe-anomaly-schema.js';
import type { WindowSummary } from '../window-summary.js';

/** One key series' value over one window, and the volume behind it. */
export interface SeriesValue {
  series: SeriesName;
  /** The tool or `provider/model`; empty for a deployment-wide series. */
  key: string;
  value: number;
  /** Calls, conversations or turns the value was computed from. */
  volume: number;
}

const NANOS_PER_DOLLAR = 1e9;
const HOUR_MS = 3_600_000;

/** A count as the summary should hold it; anything else counts as none. */
function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;
}

function toolErrorRates(summary: WindowSummary): SeriesValue[] {
  return Object.entries(summary.tools).flatMap(([key, tool]) => {
    const calls = count(tool.calls);
    if (calls === 0) return [];
    const value = Math.min(count(tool.errors), calls) / calls;
    return [{ series: 'tool_error_rate' as const, key, value, volume: calls }];
  });
}

function modelLatencies(summary: WindowSummary): SeriesValue[] {
  return Object.entries(summary.models).flatMap(([key, model]) => {
    const calls = count(model.calls);
    const p95 = model.latencyP95Ms;
    if (calls === 0 || typeof p95 !== 'number' || !Number.isFinite(p95) || p95 < 0) return [];
    return [{ series: 'model_latency_p95' as const, key, value: p95, volume: calls }];
  });
}

function deploymentSeries(summary: WindowSummary): SeriesValue[] {
  const values: SeriesValue[] = [];
  const ended = count(summary.conversations.ended);
  if (ended > 0) {
    const value = count(summary.conversations.turns) / ended;
    values.push({ series: 'conversation_length', key: '', value, volume: ended });
  }
  const turns = count(summary.turns);
  const hours = (summary.to - summary.from) / HOUR_MS;
  if (hours > 0) {
    const value = count(summary.costNanos) / NANOS_PER_DOLLAR / hours;
    values.push({ series: 'cost_per_hour', key: '', value, volume: turns });
  }
  if (turns > 0) {
    const value = count(summary.fallbacks) / turns;
    values.push({ series: 'fallback_rate', key: '', value, volume: turns });
  }
  return values;
}

/**
 * The key series of one window: tool error rate per tool, p95 latency per model, turns per
 * ended conversation, dollars per hour and fallbacks per turn. A series with nothing to divide
 * by (no calls, no conversation ended) has no value in that window rather than a zero.
 */
export function seriesValues(summary: WindowSummary): SeriesValue[] {
  return [...toolErrorRates(summary), ...modelLatencies(summary), ...deploymentSeries(summary)];
}
