/**
 * Stats rollups: per-minute HdrHistogram buckets and counters that every instance writes to the
 * state backend and that merge exactly, read back as percentiles per model and per tool over any
 * window (`GET /v1/stats`), as a timeline (the dashboard), or as window summaries (the anomaly
 * detector).
 */
export { statsSetup, type Stats, type StatsSetupOptions } from './stats-setup.js';
export { StatsSink, instanceId, type StatsSinkOptions } from './stats-sink.js';
export {
  StatsReader,
  type StatsReaderOptions,
  type StatsTimeline,
  type StatsWindow,
} from './stats-reader.js';
export type { ModelFigures, StatsFigures, ToolFigures } from './stats-figures.js';
export {
  MAX_MICROS,
  MAX_RELATIVE_ERROR,
  RESOLUTION_MS,
  SIGNIFICANT_DIGITS,
  bucketOf,
  percentilesOf,
  toMicros,
  type Percentiles,
} from './precision.js';
export { statsView, timelineView, PRECISION_VIEW } from './stats-view.js';
export { MAX_TIMELINE_POINTS, defaultStep, formatSpan, parseSpan } from './spans.js';
