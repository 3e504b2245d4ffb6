/**
 * Turns a `GET /v1/stats/timeline` answer into what each chart draws: its series (label, unit,
 * colour, dash) and their values, one per timeline point. Pure functions, no DOM, so the mapping
 * can be tested on its own.
 *
 * @typedef {{ label: string, unit: string, color: string, dash?: number[], width?: number,
 *   axis?: 'left' | 'right', group?: string }} SeriesSpec `group`: the model or tool a series
 *   belongs to, one legend entry for its three percentile lines
 * @typedef {{ series: SeriesSpec[], values: (number | null)[][], empty: string }} ChartSpec
 */

/** Colours for series keyed by model or tool, in order of first appearance (sorted names). */
export const PALETTE = [
  '#4f9dff',
  '#f2a93b',
  '#3ccf8e',
  '#e86fb2',
  '#a58bff',
  '#ff7a6b',
  '#43c6d9',
  '#c7cf4a',
];

const PERCENTILES = [
  { name: 'p50', dash: [2, 4], width: 1.5 },
  { name: 'p95', dash: undefined, width: 2 },
  { name: 'p99', dash: [8, 5], width: 1.5 },
];

/**
 * @param {any[]} points
 * @param {'models' | 'tools'} group
 * @returns {string[]} every key of that group seen in the window, sorted
 */
export function keysOf(points, group) {
  const keys = new Set();
  for (const point of points) for (const key of Object.keys(point[group] ?? {})) keys.add(key);
  return [...keys].sort();
}

/** @param {number} index */
const colorAt = (index) => PALETTE[index % PALETTE.length];

/**
 * @param {unknown} value
 * @returns {number | null}
 */
const numberOrNull = (value) =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** @param {number} numerator @param {number} denominator */
const ratio = (numerator, denominator) => (denominator > 0 ? numerator / denominator : null);

/**
 * Percentile lines of one latency figure per key: three series per model or tool.
 *
 * @param {any[]} points
 * @param {'models' | 'tools'} group
 * @param {string} field `duration_ms` or `time_to_first_token_ms`
 * @param {string} empty
 * @returns {ChartSpec}
 */
function percentileChart(points, group, field, empty) {
  const series = [];
  const values = [];
  keysOf(points, group).forEach((key, index) => {
    for (const percentile of PERCENTILES) {
      series.push({
        label: `${key} ${percentile.name}`,
        group: key,
        unit: 'ms',
        color: colorAt(index),
        dash: percentile.dash,
        width: percentile.width,
      });
      values.push(
        points.map((point) => numberOrNull(point[group]?.[key]?.[field]?.[percentile.name])),
      );
    }
  });
  return { series, values, empty };
}

/** @param {any[]} points @returns {ChartSpec} */
function toolSuccess(points) {
  const keys = keysOf(points, 'tools');
  return {
    series: keys.map((key, index) => ({ label: key, unit: 'percent', color: colorAt(index) })),
    values: keys.map((key) =>
      points.map((point) => {
        const tool = point.tools?.[key];
        const share = tool ? ratio(tool.ok ?? 0, tool.calls ?? 0) : null;
        return share === null ? null : share * 100;
      }),
    ),
    empty: 'No tool calls in this window.',
  };
}

/**
 * Counters that are always present, one series each.
 *
 * @param {any[]} points
 * @param {{ label: string, color: string, read: (point: any) => unknown }[]} lines
 * @returns {ChartSpec}
 */
function countChart(points, lines) {
  return {
    series: lines.map(({ label, color }) => ({ label, unit: 'count', color })),
    values: lines.map(({ read }) => points.map((point) => numberOrNull(read(point)) ?? 0)),
    empty: 'No turns in this window.',
  };
}

/** @param {any[]} points @returns {ChartSpec} */
function conversations(points) {
  const perConversation = (/** @type {string} */ field) =>
    points.map((point) => {
      const ended = point.conversations?.ended ?? 0;
      return ratio(numberOrNull(point.conversations?.[field]) ?? 0, ended);
    });
  const ended = points.some((point) => (point.conversations?.ended ?? 0) > 0);
  return {
    series: ended
      ? [
          { label: 'tokens per conversation', unit: 'tokens', color: PALETTE[0] },
          { label: 'cost per conversation', unit: 'usd', color: PALETTE[1], axis: 'right' },
        ]
      : [],
    values: ended ? [perConversation('tokens'), perConversation('cost_usd')] : [],
    empty: 'No conversation has ended in this window.',
  };
}

/**
 * Every chart of the page by its `data-chart` id.
 *
 * @param {{ points: any[] }} timeline
 * @returns {Record<string, ChartSpec>}
 */
export function chartSpecs(timeline) {
  const points = timeline.points ?? [];
  const turned = points.some((point) => (point.turns ?? 0) > 0);
  const counts = (/** @type {Parameters<typeof countChart>[1]} */ lines) =>
    turned
      ? countChart(points, lines)
      : { series: [], values: [], empty: 'No turns in this window.' };
  return {
    'model-latency': percentileChart(
      points,
      'models',
      'duration_ms',
      'No model calls in this window.',
    ),
    'model-ttft': percentileChart(
      points,
      'models',
      'time_to_first_token_ms',
      'No model calls in this window.',
    ),
    'tool-latency': percentileChart(
      points,
      'tools',
      'duration_ms',
      'No tool calls in this window.',
    ),
    'tool-success': toolSuccess(points),
    traffic: counts([
      { label: 'turns', color: PALETTE[0], read: (point) => point.turns },
      { label: 'errors', color: PALETTE[5], read: (point) => point.errors },
    ]),
    conversations: conversations(points),
    satisfaction: counts([
      { label: 'rated up', color: PALETTE[2], read: (point) => point.feedback?.up },
      { label: 'rated down', color: PALETTE[5], read: (point) => point.feedback?.down },
      { label: 'retries', color: PALETTE[1], read: (point) => point.retries },
      {
        label: 'streams dropped',
        color: PALETTE[4],
        read: (point) => point.abandoned?.stream_dropped,
      },
      {
        label: 'left after error',
        color: PALETTE[3],
        read: (point) => point.abandoned?.left_after_error,
      },
    ]),
    'cache-guard': counts([
      { label: 'cache hits', color: PALETTE[6], read: (point) => point.cache_hits },
      { label: 'guard flagged', color: PALETTE[5], read: (point) => point.guard?.flagged },
      { label: 'redactions', color: PALETTE[1], read: (point) => point.guard?.redactions },
    ]),
  };
}

/**
 * Totals over the window for the tiles at the top.
 *
 * @param {{ points: any[] }} timeline
 */
export function windowTotals(timeline) {
  const totals = {
    turns: 0,
    errors: 0,
    tokens: 0,
    costUsd: 0,
    toolCalls: 0,
    toolOk: 0,
    conversations: 0,
    conversationTurns: 0,
    up: 0,
    down: 0,
    retries: 0,
    abandoned: 0,
  };
  for (const point of timeline.points ?? []) {
    totals.turns += point.turns ?? 0;
    totals.errors += point.errors ?? 0;
    totals.tokens += point.tokens ?? 0;
    totals.costUsd += point.cost_usd ?? 0;
    for (const tool of Object.values(point.tools ?? {})) {
      totals.toolCalls += tool.calls ?? 0;
      totals.toolOk += tool.ok ?? 0;
    }
    totals.conversations += point.conversations?.ended ?? 0;
    totals.conversationTurns += point.conversations?.turns ?? 0;
    totals.up += point.feedback?.up ?? 0;
    totals.down += point.feedback?.down ?? 0;
    totals.retries += point.retries ?? 0;
    totals.abandoned +=
      (point.abandoned?.stream_dropped ?? 0) + (point.abandoned?.left_after_error ?? 0);
  }
  return totals;
}
