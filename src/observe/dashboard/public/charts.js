import uPlot from './uPlot.esm.js';
import { el } from './dom.js';
import { byUnit } from './format.js';

/**
 * Draws one chart spec into a card's `[data-chart]` element with uPlot, and keeps it drawn: new
 * data for the same series updates the plot in place, a change of series rebuilds it. Once
 * drawn, the element's `data-series` lists the series labels (tests and scripts read it).
 * The legend is one entry per model or tool (click to hide it); values show in a tooltip.
 */

const HEIGHT = 220;
const AXIS = '#8b95a7';
const GRID = 'rgba(139, 149, 167, 0.14)';
const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif';

/** @param {string} unit */
const formatter = (unit) => byUnit[/** @type {keyof typeof byUnit} */ (unit)] ?? String;

/** Steps of a count axis: whole numbers only, so no tick reads `1` twice. */
const COUNT_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 1e6];

/** @param {string} unit @param {'left' | 'right'} side */
function valueAxis(unit, side) {
  const format = formatter(unit);
  return {
    ...(unit === 'count' ? { incrs: COUNT_STEPS } : {}),
    scale: side,
    side: side === 'right' ? 1 : 3,
    stroke: AXIS,
    font: FONT,
    grid: { show: side === 'left', stroke: GRID, width: 1 },
    ticks: { show: false },
    size: 62,
    values: (/** @type {uPlot} */ _plot, /** @type {number[]} */ splits) =>
      splits.map((value) => format(value)),
  };
}

/** Counts and percentages start at zero; a percentage ends at 100. @param {string} unit */
function valueRange(unit) {
  return (/** @type {uPlot} */ _plot, /** @type {number} */ _min, /** @type {number} */ max) => {
    if (unit === 'percent') return [0, 100];
    const top = max > 0 ? max * 1.15 : 1;
    return [0, unit === 'count' ? Math.max(1, Math.ceil(top)) : top];
  };
}

/** @param {number} seconds */
function timeLabel(seconds) {
  return new Date(seconds * 1000).toLocaleString([], {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** @param {string} color @param {number[] | undefined} dash */
function swatch(color, dash) {
  const mark = el('span', { class: dash ? 'swatch dashed' : 'swatch' });
  // CSSOM, not a style attribute: the page's CSP allows no inline styles.
  mark.style.borderColor = color;
  return mark;
}

/**
 * The value of every shown series at the cursor, next to it.
 *
 * @param {uPlot} plot
 * @param {HTMLElement} box
 * @param {import('./chart-specs.js').ChartSpec} spec
 */
function updateTooltip(plot, box, spec) {
  const { idx, left, top } = plot.cursor;
  // Synced charts move their cursors too; only the chart under the pointer shows values.
  const pointed = plot.over.matches(':hover');
  if (!pointed || idx === null || idx === undefined || left === undefined || left < 0) {
    box.hidden = true;
    return;
  }
  const rows = [];
  spec.series.forEach((series, index) => {
    const value = plot.data[index + 1]?.[idx];
    if (value === null || value === undefined || !plot.series[index + 1]?.show) return;
    rows.push(
      el(
        'div',
        { class: 'tip-row' },
        swatch(series.color, series.dash),
        el('span', { class: 'tip-label' }, series.label),
        el('span', { class: 'tip-value' }, formatter(series.unit)(value)),
      ),
    );
  });
  box.replaceChildren(el('div', { class: 'tip-time' }, timeLabel(plot.data[0][idx] ?? 0)), ...rows);
  box.hidden = false;
  const width = plot.over.clientWidth;
  const flip = left > width / 2;
  box.style.left = flip ? '' : `${left + 14}px`;
  box.style.right = flip ? `${width - left + 14}px` : '';
  box.style.top = `${Math.max(0, (top ?? 0) - 20)}px`;
}

/**
 * Points with no neighbour on either side: a line cannot show them, so they get a dot. A new
 * deployment's first minute of traffic is one such point.
 *
 * @param {uPlot} plot
 * @param {number} seriesIndex
 */
function isolatedPoints(plot, seriesIndex) {
  const values = plot.data[seriesIndex] ?? [];
  const present = (/** @type {number} */ index) =>
    values[index] !== null && values[index] !== undefined;
  const indices = [];
  for (let index = 0; index < values.length; index += 1) {
    if (present(index) && !present(index - 1) && !present(index + 1)) indices.push(index);
  }
  return indices;
}

/**
 * @param {import('./chart-specs.js').ChartSpec} spec
 * @param {{ from: number, to: number }} range seconds; read again on every redraw
 * @param {number} width
 * @param {HTMLElement} target
 */
function plotOptions(spec, range, width, target) {
  const units = { left: spec.series[0]?.unit ?? 'count', right: '' };
  for (const series of spec.series) if (series.axis === 'right') units.right = series.unit;
  const tooltip = el('div', { class: 'tooltip', hidden: '' });
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { sync: { key: 'rampart' }, points: { size: 7 } },
    scales: {
      x: { time: true, range: () => [range.from, range.to] },
      left: { range: valueRange(units.left) },
      right: { range: valueRange(units.right) },
    },
    axes: [
      { stroke: AXIS, font: FONT, grid: { stroke: GRID, width: 1 }, ticks: { show: false } },
      valueAxis(units.left, 'left'),
      ...(units.right ? [valueAxis(units.right, 'right')] : []),
    ],
    series: [
      {},
      ...spec.series.map((series) => ({
        label: series.label,
        scale: series.axis === 'right' ? 'right' : 'left',
        stroke: series.color,
        width: series.width ?? 2,
        dash: series.dash,
        spanGaps: false,
        points: { show: true, size: 7, fill: series.color, filter: isolatedPoints },
      })),
    ],
    hooks: {
      init: [(/** @type {uPlot} */ plot) => plot.over.append(tooltip)],
      setCursor: [(/** @type {uPlot} */ plot) => updateTooltip(plot, tooltip, spec)],
      draw: [
        () =>
          target.setAttribute('data-series', spec.series.map((series) => series.label).join(',')),
      ],
    },
  };
}

/**
 * One entry per model or tool (or per series where there is no group); a click hides or shows
 * its lines.
 *
 * @param {import('./chart-specs.js').ChartSpec} spec
 * @param {() => uPlot | undefined} plot
 */
function legend(spec, plot) {
  const groups = new Map();
  spec.series.forEach((series, index) => {
    const name = series.group ?? series.label;
    if (!groups.has(name)) groups.set(name, { color: series.color, dash: series.dash, lines: [] });
    groups.get(name).lines.push(index + 1);
  });
  const entries = [...groups].map(([name, group]) => {
    const entry = el(
      'button',
      { type: 'button', class: 'entry', 'aria-pressed': 'true', title: name },
      swatch(group.color, spec.series[0]?.group ? undefined : group.dash),
      el('span', {}, name),
    );
    entry.addEventListener('click', () => {
      const shown = entry.getAttribute('aria-pressed') !== 'true';
      entry.setAttribute('aria-pressed', String(shown));
      for (const line of group.lines) plot()?.setSeries(line, { show: shown });
    });
    return entry;
  });
  return el('div', { class: 'legend' }, ...entries);
}

export class ChartCard {
  /** @param {HTMLElement} target the `[data-chart]` element */
  constructor(target) {
    this.target = target;
    /** @type {uPlot | undefined} */
    this.plot = undefined;
    this.labels = '';
    this.range = { from: 0, to: 0 };
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT })).observe(
      target,
    );
  }

  width() {
    return Math.max(240, Math.floor(this.target.clientWidth));
  }

  /**
   * @param {import('./chart-specs.js').ChartSpec} spec
   * @param {number[]} times seconds, one per point
   * @param {{ from: number, to: number }} range seconds
   */
  render(spec, times, range) {
    this.range.from = range.from;
    this.range.to = range.to;
    if (spec.series.length === 0) return this.showEmpty(spec.empty);
    const data = [times, ...spec.values];
    const labels = JSON.stringify(spec.series.map((series) => [series.label, series.axis]));
    if (this.plot && labels === this.labels) {
      this.plot.setData(data);
      return;
    }
    this.plot?.destroy();
    this.target.replaceChildren();
    this.labels = labels;
    const options = plotOptions(spec, this.range, this.width(), this.target);
    this.plot = new uPlot(options, data, this.target);
    this.target.append(legend(spec, () => this.plot));
  }

  /** @param {string} message */
  showEmpty(message) {
    this.plot?.destroy();
    this.plot = undefined;
    this.labels = '';
    this.target.replaceChildren(el('p', { class: 'empty' }, message));
    this.target.setAttribute('data-series', '');
  }
}
