import {
  forgetKey,
  getJson,
  KeyRefused,
  NotServed,
  refusalMessage,
  storedKey,
  storeKey,
} from './api.js';
import { ChartCard } from './charts.js';
import { chartSpecs } from './chart-specs.js';
import { byId, show } from './dom.js';
import { renderAlerts, renderPercentiles, renderTiles } from './panels.js';

/**
 * The dashboard: asks once for a key (an admin's, or one granted stats:read and alerts:read),
 * then reads the stats timeline, the exact percentiles and the open alerts for the chosen window,
 * and refreshes them every 30 seconds while the tab is visible.
 */

const REFRESH_MS = 30_000;
/** Each window's step keeps the charts near 60-100 points. */
const STEPS = { '1h': '1m', '6h': '5m', '24h': '15m' };

const state = {
  key: storedKey(),
  span: spanFromHash(),
  /** Only the latest load draws: a slower earlier one (another window) is dropped. */
  latest: 0,
  /** @type {Map<string, ChartCard>} */
  charts: new Map(),
};

function spanFromHash() {
  const asked = location.hash.slice(1);
  return Object.hasOwn(STEPS, asked) ? asked : '1h';
}

function setStatus(/** @type {string} */ text) {
  byId('status').textContent = text;
}

function signedIn(/** @type {boolean} */ yes) {
  show(byId('sign-in'), !yes);
  show(byId('board'), yes);
  show(byId('controls'), yes);
  document.body.dataset.state = yes ? 'loading' : 'signed-out';
  if (!yes) byId('key').focus();
}

function signOut(/** @type {string} */ message) {
  forgetKey();
  state.key = undefined;
  byId('key-error').textContent = message;
  signedIn(false);
}

/** A route the server may not serve (alerts turned off): undefined instead of an error. */
async function optional(/** @type {string} */ path, /** @type {string} */ key) {
  try {
    return await getJson(path, key);
  } catch (error) {
    if (error instanceof NotServed) return undefined;
    throw error;
  }
}

function chartCard(/** @type {string} */ id) {
  let card = state.charts.get(id);
  if (card === undefined) {
    const target = document.querySelector(`[data-chart="${id}"]`);
    if (!(target instanceof HTMLElement)) return undefined;
    card = new ChartCard(target);
    state.charts.set(id, card);
  }
  return card;
}

function draw(/** @type {any} */ timeline, /** @type {any} */ stats, /** @type {any} */ alerts) {
  const times = timeline.points.map((/** @type {any} */ point) => Date.parse(point.at) / 1000);
  const range = { from: Date.parse(timeline.from) / 1000, to: Date.parse(timeline.to) / 1000 };
  for (const [id, spec] of Object.entries(chartSpecs(timeline))) {
    chartCard(id)?.render(spec, times, range);
  }
  renderTiles(byId('tiles'), timeline, stats);
  renderPercentiles(byId('percentiles'), stats);
  renderAlerts(byId('alerts'), alerts);
}

/** Reads everything for the window; a refused key signs out with the reason. */
async function refresh() {
  const { key, span } = state;
  if (key === undefined) return;
  const ticket = ++state.latest;
  setStatus('Loading…');
  try {
    const [timeline, stats, alerts] = await Promise.all([
      getJson(`v1/stats/timeline?window=${span}&step=${STEPS[span]}`, key),
      optional(`v1/stats?window=${span}`, key),
      optional('v1/alerts?state=open', key),
    ]);
    if (ticket !== state.latest) return;
    if (byId('board').hidden) {
      // A key typed in just now is kept once it has proved it may read what the page shows.
      storeKey(key);
      signedIn(true);
    }
    draw(timeline, stats, alerts);
    show(byId('banner'), false);
    // What is drawn, for scripts and tests: the state and the window it shows.
    document.body.dataset.shownWindow = span;
    document.body.dataset.state = 'ready';
    setStatus(`Updated ${new Date().toLocaleTimeString()} · every ${REFRESH_MS / 1000} s`);
  } catch (error) {
    if (ticket !== state.latest) return;
    if (error instanceof KeyRefused) return signOut(refusalMessage(error));
    const reason = error instanceof Error ? error.message : String(error);
    const message = `Could not load the dashboard data: ${reason}`;
    if (byId('board').hidden) return signOut(message);
    const banner = byId('banner');
    banner.textContent = message;
    show(banner, true);
    document.body.dataset.state = 'error';
    setStatus('Update failed');
  }
}

function markSpan() {
  for (const button of document.querySelectorAll('[data-window]')) {
    const chosen = button.getAttribute('data-window') === state.span;
    button.setAttribute('aria-pressed', String(chosen));
  }
}

function chooseSpan(/** @type {string} */ span) {
  state.span = span;
  history.replaceState(null, '', `#${span}`);
  markSpan();
  void refresh();
}

function submitKey(/** @type {Event} */ event) {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ (byId('key'));
  const key = input.value.trim();
  if (!key) return;
  input.value = '';
  byId('key-error').textContent = '';
  state.key = key;
  const submit = /** @type {HTMLButtonElement} */ (byId('open'));
  submit.disabled = true;
  void refresh().finally(() => {
    submit.disabled = false;
  });
}

function bind() {
  byId('key-form').addEventListener('submit', submitKey);
  byId('sign-out').addEventListener('click', () => signOut(''));
  byId('refresh').addEventListener('click', () => void refresh());
  for (const button of document.querySelectorAll('[data-window]')) {
    const span = button.getAttribute('data-window') ?? '1h';
    button.addEventListener('click', () => chooseSpan(span));
  }
  setInterval(() => {
    if (document.visibilityState === 'visible') void refresh();
  }, REFRESH_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void refresh();
  });
}

bind();
markSpan();
signedIn(state.key !== undefined);
void refresh();
