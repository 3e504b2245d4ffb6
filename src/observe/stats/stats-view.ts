import type { ModelFigures, StatsFigures, ToolFigures } from './stats-figures.js';
import type { StatsTimeline, StatsWindow } from './stats-reader.js';
import {
  MAX_RELATIVE_ERROR,
  RESOLUTION_MS,
  SIGNIFICANT_DIGITS,
  type Percentiles,
} from './precision.js';
import { formatSpan } from './spans.js';

/**
 * The JSON of `GET /v1/stats` and `GET /v1/stats/timeline`. Latencies are milliseconds (to the
 * microsecond); money is dollars.
 */

const NANOS_PER_DOLLAR = 1_000_000_000;

/** How exact every percentile is: see `precision.ts`. */
export const PRECISION_VIEW = {
  significant_digits: SIGNIFICANT_DIGITS,
  resolution_ms: RESOLUTION_MS,
  max_relative_error: MAX_RELATIVE_ERROR,
} as const;

const iso = (at: number) => new Date(at).toISOString();
const dollars = (nanos: number) => nanos / NANOS_PER_DOLLAR;
const ms = (micros: number) => micros / 1_000;

function latencyView(percentiles: Percentiles | undefined) {
  if (!percentiles) return null;
  const { p50, p95, p99, max } = percentiles;
  return { p50: ms(p50), p95: ms(p95), p99: ms(p99), max: ms(max) };
}

function modelView(model: ModelFigures) {
  return {
    calls: model.calls,
    failed: model.failed,
    time_to_first_token_ms: latencyView(model.timeToFirstToken),
    duration_ms: latencyView(model.duration),
  };
}

function toolView(tool: ToolFigures) {
  return {
    calls: tool.calls,
    ok: tool.outcomes.ok,
    outcomes: { ...tool.outcomes },
    duration_ms: latencyView(tool.duration),
  };
}

function byName<T, V>(entries: Record<string, T>, view: (value: T) => V): Record<string, V> {
  return Object.fromEntries(Object.entries(entries).map(([name, value]) => [name, view(value)]));
}

export function statsView(window: StatsWindow) {
  return {
    object: 'stats',
    window: formatSpan(window.to - window.from),
    from: iso(window.from),
    to: iso(window.to),
    precision: PRECISION_VIEW,
    instances: window.figures.instances,
    models: byName(window.figures.models, modelView),
    tools: byName(window.figures.tools, toolView),
  };
}

function pointView(at: number, figures: StatsFigures) {
  const { counters } = figures;
  return {
    at: iso(at),
    turns: counters.turns,
    errors: counters.errors,
    client_closed: counters.clientClosed,
    models: byName(figures.models, modelView),
    tools: byName(figures.tools, toolView),
    model_calls: counters.modelCalls,
    fallbacks: counters.fallbacks,
    tokens: counters.tokens,
    cost_usd: dollars(counters.costNanos),
    conversations: {
      ended: counters.conversationsEnded,
      turns: counters.conversationTurns,
      tokens: counters.conversationTokens,
      cost_usd: dollars(counters.conversationCostNanos),
    },
    feedback: { up: counters.feedbackUp, down: counters.feedbackDown },
    retries: counters.retries,
    abandoned: {
      stream_dropped: counters.streamDropped,
      left_after_error: counters.leftAfterError,
    },
    cache_hits: counters.cacheHits,
    guard: { flagged: counters.guardFlagged, redactions: counters.guardRedactions },
  };
}

export function timelineView(timeline: StatsTimeline) {
  return {
    object: 'stats.timeline',
    window: formatSpan(timeline.to - timeline.from),
    step: formatSpan(timeline.stepMs),
    from: iso(timeline.from),
    to: iso(timeline.to),
    precision: PRECISION_VIEW,
    instances: timeline.instances,
    points: timeline.points.map((point) => pointView(point.at, point.figures)),
  };
}
