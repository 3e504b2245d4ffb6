import { windowTotals } from './chart-specs.js';
import { el } from './dom.js';
import { average, count, dollars, duration, percent } from './format.js';

/**
 * The parts of the page that are not charts: the totals at the top, the exact percentiles
 * table and the open alerts. Every server string goes in through `el`, as text.
 */

/**
 * @param {string} label
 * @param {string} value
 * @param {string} detail
 * @param {boolean} [alarming] drawn in the alarm colour
 */
function tile(label, value, detail, alarming = false) {
  return el(
    'div',
    { class: alarming ? 'tile bad' : 'tile' },
    el('div', { class: 'tile-label' }, label),
    el('div', { class: 'tile-value' }, value),
    el('div', { class: 'tile-detail', title: detail }, detail),
  );
}

/** The model with the highest p95 total duration over the window, from `/v1/stats`. */
function slowestModel(/** @type {any} */ stats) {
  let slowest;
  for (const [target, model] of Object.entries(stats?.models ?? {})) {
    const p95 = model?.duration_ms?.p95;
    if (typeof p95 === 'number' && (slowest === undefined || p95 > slowest.p95)) {
      slowest = { target, p95 };
    }
  }
  return slowest;
}

/** @param {number} part @param {number} whole */
const share = (part, whole) => (whole > 0 ? (100 * part) / whole : null);

/**
 * @param {HTMLElement} container
 * @param {any} timeline
 * @param {any} stats `/v1/stats` for the same window, or undefined when it could not be read
 */
export function renderTiles(container, timeline, stats) {
  const totals = windowTotals(timeline);
  const errors = share(totals.errors, totals.turns);
  const tools = share(totals.toolOk, totals.toolCalls);
  const liked = share(totals.up, totals.up + totals.down);
  const slowest = slowestModel(stats);
  const each = (/** @type {number} */ value) =>
    totals.conversations > 0 ? value / totals.conversations : null;
  container.replaceChildren(
    tile(
      'Turns',
      count(totals.turns),
      `${count(totals.errors)} failed (${percent(errors)})`,
      errors !== null && errors >= 5,
    ),
    tile('Model p95', duration(slowest?.p95), slowest ? slowest.target : 'no model calls'),
    tile(
      'Tool success',
      percent(tools),
      `${count(totals.toolCalls)} calls`,
      tools !== null && tools < 95,
    ),
    tile('Tokens', count(totals.tokens), `${count(each(totals.tokens))} per conversation`),
    tile('Cost', dollars(totals.costUsd), `${dollars(each(totals.costUsd))} per conversation`),
    tile(
      'Conversations',
      count(totals.conversations),
      `${average(each(totals.conversationTurns))} turns on average`,
    ),
    tile(
      'Rated up',
      percent(liked),
      `${count(totals.up)} up, ${count(totals.down)} down`,
      liked !== null && liked < 70,
    ),
    tile('Abandoned', count(totals.abandoned), `${count(totals.retries)} retries`),
  );
}

/** @param {any} figures `{p50, p95, p99}` in milliseconds */
const percentileCells = (figures) =>
  ['p50', 'p95', 'p99'].map((name) => el('td', { class: 'num' }, duration(figures?.[name])));

/**
 * @param {HTMLElement} container
 * @param {any} stats `/v1/stats`, or undefined when this server does not serve it
 */
export function renderPercentiles(container, stats) {
  container.setAttribute('data-state', 'ready');
  if (stats === undefined) {
    container.replaceChildren(
      el('p', { class: 'empty' }, 'Exact percentiles are not served here.'),
    );
    return;
  }
  const head = (/** @type {string[]} */ names) =>
    el('thead', {}, el('tr', {}, ...names.map((name) => el('th', {}, name))));
  const models = Object.entries(stats.models ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const tools = Object.entries(stats.tools ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const modelRows = models.map(([target, model]) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, target),
      el('td', { class: 'num' }, count(model.calls)),
      el('td', { class: 'num' }, count(model.failed)),
      ...percentileCells(model.time_to_first_token_ms),
      ...percentileCells(model.duration_ms),
    ),
  );
  const toolRows = tools.map(([name, tool]) => {
    const ok = tool.outcomes?.ok ?? 0;
    return el(
      'tr',
      {},
      el('th', { scope: 'row' }, name),
      el('td', { class: 'num' }, count(tool.calls)),
      el('td', { class: 'num' }, percent(tool.calls > 0 ? (100 * ok) / tool.calls : null)),
      ...percentileCells(tool.duration_ms),
    );
  });
  const digits = stats.precision?.significant_digits;
  container.replaceChildren(
    models.length === 0
      ? el('p', { class: 'empty' }, 'No model calls in this window.')
      : el(
          'table',
          {},
          head(['Model', 'Calls', 'Failed', 'TTFT p50', 'p95', 'p99', 'Total p50', 'p95', 'p99']),
          el('tbody', {}, ...modelRows),
        ),
    tools.length === 0
      ? el('p', { class: 'empty' }, 'No tool calls in this window.')
      : el(
          'table',
          {},
          head(['Tool', 'Calls', 'Success', 'p50', 'p95', 'p99']),
          el('tbody', {}, ...toolRows),
        ),
    el(
      'p',
      { class: 'footnote' },
      `Exact over ${stats.window ?? 'the window'} across ${count(stats.instances ?? 1)} instance(s)` +
        (typeof digits === 'number' ? `, to ${digits} significant digits.` : '.'),
    ),
  );
}

const SEVERITIES = ['info', 'warning', 'critical'];

/** `12 min ago` for an ISO time. @param {string} iso @param {number} now */
function ago(iso, now) {
  const minutes = Math.round((now - Date.parse(iso)) / 60_000);
  if (!Number.isFinite(minutes)) return '';
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  return `${Math.round(minutes / 60)} h ago`;
}

/** @param {any} alert */
function alertItem(alert, /** @type {number} */ now) {
  const severity = SEVERITIES.includes(alert.severity) ? alert.severity : 'warning';
  return el(
    'li',
    {
      class: `alert ${severity}`,
      'data-alert': String(alert.id ?? ''),
    },
    el('span', { class: 'badge' }, severity),
    el(
      'div',
      { class: 'alert-body' },
      el('div', { class: 'alert-message' }, String(alert.message ?? alert.series ?? 'alert')),
      el(
        'div',
        { class: 'alert-meta' },
        // The message gives the value and the baseline or limit, in the series' own unit.
        [alert.series, alert.key, alert.kind].filter(Boolean).join(' · '),
      ),
    ),
    el(
      'time',
      { datetime: String(alert.opened_at ?? ''), title: String(alert.opened_at ?? '') },
      ago(String(alert.opened_at ?? ''), now),
    ),
  );
}

/**
 * @param {HTMLElement} container
 * @param {{ data?: any[] } | undefined} alerts `/v1/alerts`, or undefined when not served
 */
export function renderAlerts(container, alerts) {
  const list = alerts?.data ?? [];
  container.setAttribute('data-count', String(list.length));
  if (alerts === undefined) {
    container.replaceChildren(
      el('p', { class: 'empty' }, 'Alerts are not enabled on this server.'),
    );
  } else if (list.length === 0) {
    container.replaceChildren(el('p', { class: 'empty ok' }, 'No open alerts.'));
  } else {
    const now = Date.now();
    container.replaceChildren(
      el('ul', { class: 'alerts' }, ...list.map((alert) => alertItem(alert, now))),
    );
  }
  container.setAttribute('data-state', 'ready');
}
