import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../app/test-support/harness.js';
import { getJson, postJson } from '../../app/test-support/session-client.js';
import { describeWithChromium, launchChromium, type Browser } from './test-support/browser.js';
import {
  config,
  MINUTE_MS,
  REPLAYED_MINUTES,
  tools,
  totals,
  Traffic,
  until,
} from './test-support/replayed-hour.js';

/**
 * The dashboard in headless Chromium against a real server that has served an hour of traffic
 * (test-support/replayed-hour.ts). The hour is replayed in seconds by moving the server's monitoring clock back before each
 * minute's requests, so the charts have a point per minute. The page must draw every chart with
 * the series that traffic produced and run under its CSP without a single violation. Its
 * screenshot is the README's (`RAMPART_UPDATE_SCREENSHOT=1` writes it there; it always goes to
 * test-artifacts/).
 */

const ROOT = new URL('../../../', import.meta.url);
const ARTIFACT = new URL('test-artifacts/dashboard.png', ROOT);
const README_IMAGE = new URL('docs/images/dashboard.png', ROOT);

describeWithChromium('the dashboard in Chromium, after an hour of traffic', () => {
  /** The server's monitoring clock: `at` when it was last set, moving on in real time since. */
  const clock = { at: 0, setAt: 0 };
  const setClock = (at: number) => Object.assign(clock, { at, setAt: Date.now() });
  let server: TestServer;
  let admin: string;
  let user: string;
  let traffic: Traffic;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const failures: string[] = [];

  const timeline = () => getJson(server, admin, '/v1/stats/timeline?window=1h&step=1m');

  beforeAll(async () => {
    // The replayed hour ends in the minute `end` starts; each minute's requests go out a second
    // into it. Afterwards the clock runs on from `end`, so the 1 h window holds all 60 minutes
    // for the rest of this file (for 58 s of real time, far more than it takes).
    const end = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
    setClock(end - REPLAYED_MINUTES * MINUTE_MS);
    server = await startTestServer({
      tools,
      config,
      now: () => clock.at + (Date.now() - clock.setAt),
    });
    user = await server.key('dana');
    admin = await server.key('ops', 'admin');
    traffic = new Traffic(server, user);
    for (let minute = 0; minute < REPLAYED_MINUTES; minute += 1) {
      setClock(end - (REPLAYED_MINUTES - 1 - minute) * MINUTE_MS + 1_000);
      await Promise.all(traffic.minute(minute));
    }
    setClock(Math.max(end + 2_000, clock.at + (Date.now() - clock.setAt)));
    // The flaky tool fails every call: its error-rate threshold opens an alert during the replay.
    const alerts = await until(
      () => getJson(server, admin, '/v1/alerts?state=open'),
      (body) => body.data.length > 0,
    );
    expect(alerts.data.map((alert: any) => [alert.series, alert.key, alert.kind])).toEqual([
      ['tool_error_rate', 'flaky', 'threshold'],
    ]);
    const settled = await until(timeline, (body) => {
      const seen = totals(body);
      return seen.turns === traffic.sent && seen.dropped === traffic.dropped;
    });
    expect(totals(settled)).toMatchObject({
      turns: traffic.sent,
      busyMinutes: REPLAYED_MINUTES,
      dropped: traffic.dropped,
      ratings: traffic.ratings,
      flagged: 3,
    });

    browser = await launchChromium();
    page = browser.page;
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      // A refused request is also logged by the browser; `failures` checks those one by one.
      if (message.text().startsWith('Failed to load resource')) return;
      if (message.type() === 'error' || message.type() === 'warning') {
        problems.push(`console ${message.type()}: ${message.text()}`);
      }
    });
    page.on('response', (response: Response) => {
      if (response.status() >= 400) {
        failures.push(`${response.status()} ${new URL(response.url()).pathname}`);
      }
    });
    // Every CSP violation, reported by the page itself (browser code: this file has no DOM).
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (event) =>
        console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));`,
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const series = (chart: string) =>
    page.getAttribute(`[data-chart="${chart}"]`, 'data-series').then((value) => value ?? '');
  const labels = async (chart: string) => (await series(chart)).split(',');
  const percentiles = (name: string) => ['p50', 'p95', 'p99'].map((p) => `${name} ${p}`);

  async function signIn(key: string) {
    await page.fill('#key', key);
    await page.click('#key-form button[type=submit]');
  }

  it('asks for a key, and says why a wrong or non-admin key is refused', async () => {
    await page.goto(`${server.url}/dashboard`);
    await page.waitForSelector('#sign-in:not([hidden])');
    expect(await page.getAttribute('body', 'data-state')).toBe('signed-out');

    await signIn('rk_not_a_key');
    await expect
      .poll(() => page.textContent('#key-error'))
      .toBe('This key was not accepted: it is unknown, revoked or mistyped.');

    await signIn(user);
    await expect
      .poll(() => page.textContent('#key-error'))
      .toContain('may not read stats and alerts');
    expect(await page.isVisible('#board')).toBe(false);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('draws every chart with the series the traffic produced', async () => {
    await signIn(admin);
    await page.waitForSelector('body[data-state="ready"]');

    expect(await labels('model-latency')).toEqual([
      ...percentiles('backup/sim-backup'),
      ...percentiles('sim/sim-assistant'),
      ...percentiles('slow/sim-slow'),
    ]);
    expect(await labels('model-ttft')).toEqual(await labels('model-latency'));
    expect(await labels('tool-latency')).toEqual([
      ...percentiles('flaky'),
      ...percentiles('lookup'),
    ]);
    expect(await labels('tool-success')).toEqual(['flaky', 'lookup']);
    expect(await labels('traffic')).toEqual(['turns', 'errors']);
    expect(await labels('conversations')).toEqual([
      'tokens per conversation',
      'cost per conversation',
    ]);
    expect(await labels('satisfaction')).toEqual([
      'rated up',
      'rated down',
      'retries',
      'streams dropped',
      'left after error',
    ]);
    expect(await labels('cache-guard')).toEqual(['cache hits', 'guard flagged', 'redactions']);
    // Every chart drew on its canvas, and its legend names each model or tool once.
    expect(await page.locator('[data-chart] canvas').count()).toBe(8);
    expect(
      await page.locator('[data-chart="model-latency"] .legend .entry').allTextContents(),
    ).toEqual(['backup/sim-backup', 'sim/sim-assistant', 'slow/sim-slow']);
  });

  it('shows the window totals, the exact percentiles and the open alerts', async () => {
    const seen = totals(await timeline());
    const tile = (label: string) =>
      page
        .locator('.tile')
        .filter({ has: page.getByText(label, { exact: true }) })
        .locator('.tile-value')
        .textContent();
    expect(await tile('Turns')).toBe(String(seen.turns));
    expect(await tile('Abandoned')).toBe(String(seen.abandoned));

    const rows = await page.locator('#percentiles tbody th').allTextContents();
    expect(rows).toEqual([
      'backup/sim-backup',
      'sim/sim-assistant',
      'slow/sim-slow',
      'flaky',
      'lookup',
    ]);

    const alerts = await getJson(server, admin, '/v1/alerts?state=open');
    expect(alerts.data).toHaveLength(1);
    await page.waitForSelector('[data-panel="alerts"][data-state="ready"]');
    expect(await page.getAttribute('[data-panel="alerts"]', 'data-count')).toBe('1');
    const shown = page.locator('[data-panel="alerts"] .alert');
    expect(await shown.locator('.alert-message').allTextContents()).toEqual([
      alerts.data[0].message,
    ]);
    expect(await shown.locator('.badge').allTextContents()).toEqual(['warning']);
  });

  it('shows the values under the cursor in a tooltip', async () => {
    const plot = page.locator('[data-chart="traffic"] .u-over');
    const box = (await plot.boundingBox())!;
    await plot.hover({ position: { x: box.width - 3, y: box.height / 2 } });
    const tooltip = page.locator('[data-chart="traffic"] .tooltip');
    await tooltip.waitFor({ state: 'visible' });
    expect(await tooltip.locator('.tip-label').allTextContents()).toEqual(['turns', 'errors']);
    await page.mouse.move(0, 0);
    await tooltip.waitFor({ state: 'hidden' });
  });

  it('is the screenshot in the README', async () => {
    mkdirSync(new URL('.', ARTIFACT), { recursive: true });
    await page.evaluate('window.scrollTo(0, 0)');
    await page.screenshot({ path: fileURLToPath(ARTIFACT), fullPage: true });
    if (process.env.RAMPART_UPDATE_SCREENSHOT === '1') {
      mkdirSync(new URL('.', README_IMAGE), { recursive: true });
      await page.screenshot({ path: fileURLToPath(README_IMAGE), fullPage: true });
    }
  });

  it('keeps the key for the tab, switches windows, and forgets the key on sign-out', async () => {
    await page.reload();
    await page.waitForSelector('body[data-state="ready"]');
    expect(await page.isVisible('#sign-in')).toBe(false);

    expect(await page.getAttribute('body', 'data-shown-window')).toBe('1h');
    await page.click('[data-window="6h"]');
    await page.waitForURL(/#6h$/);
    await page.waitForSelector('body[data-state="ready"][data-shown-window="6h"]');
    expect(await page.getAttribute('[data-window="6h"]', 'aria-pressed')).toBe('true');
    expect(await labels('tool-success')).toEqual(['flaky', 'lookup']);
    await page.click('[data-window="24h"]');
    await page.waitForSelector('body[data-state="ready"][data-shown-window="24h"]');
    expect(await labels('tool-success')).toEqual(['flaky', 'lookup']);
    expect(await page.getAttribute('[data-window="6h"]', 'aria-pressed')).toBe('false');

    await page.click('#sign-out');
    await page.waitForSelector('#sign-in:not([hidden])');
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
  });

  it('ran without a CSP violation, a script error or a failed request but the refused keys', () => {
    expect(problems).toEqual([]);
    // The wrong key's three reads, then the user key's: nothing else failed.
    expect([...new Set(failures)].sort()).toEqual([
      '401 /v1/alerts',
      '401 /v1/stats',
      '401 /v1/stats/timeline',
      '403 /v1/alerts',
      '403 /v1/stats',
      '403 /v1/stats/timeline',
    ]);
  });
});

/** A provider model id is free text from config: the page must show it, never run it. */
const HOSTILE_MODEL = '<img src=x onerror="window.__rampartInjected=1">';

describeWithChromium('the dashboard with a hostile model name', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer({
      config: {
        models: { odd: { provider: 'simulated', model: HOSTILE_MODEL } },
        observe: { stats: { flushMs: 100 } },
      },
    });
    const admin = await server.key('ops', 'admin');
    const sent = await postJson(server, admin, '/v1/chat/completions', {
      model: 'odd',
      messages: [{ role: 'user', content: 'hello' }],
    });
    expect(sent.status).toBe(200);
    await until(
      () => getJson(server, admin, '/v1/stats/timeline?window=1h&step=1m'),
      (body) => totals(body).turns === 1,
    );
    browser = await launchChromium();
    page = browser.page;
    await page.goto(`${server.url}/dashboard`);
    await page.fill('#key', admin);
    await page.click('#key-form button[type=submit]');
    await page.waitForSelector('body[data-state="ready"]');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows it as text in the legend and the table, and never runs it', async () => {
    const target = `simulated/${HOSTILE_MODEL}`;
    expect(await page.getAttribute('[data-chart="model-latency"]', 'data-series')).toBe(
      ['p50', 'p95', 'p99'].map((p) => `${target} ${p}`).join(','),
    );
    const legend = page.locator('[data-chart="model-latency"] .legend .entry');
    expect(await legend.allTextContents()).toEqual([target]);
    expect(await page.locator('#percentiles tbody th').allTextContents()).toEqual([target]);
    expect(await page.locator('#board img').count()).toBe(0);
    expect(await page.evaluate('typeof window.__rampartInjected')).toBe('undefined');
  });
});
