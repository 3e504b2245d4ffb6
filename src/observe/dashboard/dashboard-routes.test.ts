import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../app/test-support/harness.js';
import { DASHBOARD_CSP } from './register-dashboard.js';
import { loadDashboardAssets } from './assets.js';

const PUBLIC_DIR = new URL('./public/', import.meta.url);
const UPLOT_ESM = createRequire(import.meta.url).resolve('uplot/dist/uPlot.esm.js');

let server: TestServer;
let page: string;
let assetBase: string;

beforeAll(async () => {
  server = await startTestServer();
  page = await (await fetch(`${server.url}/dashboard`)).text();
  const base = /src="(dashboard\/assets\/[0-9a-f]{12})\/app\.js"/.exec(page)?.[1];
  if (base === undefined) throw new Error(`the page names no app.js: ${page.slice(0, 400)}`);
  assetBase = `${server.url}/${base}`;
});

afterAll(async () => {
  await server.close();
});

/** Every module the page loads, following relative imports from app.js. */
async function moduleGraph(): Promise<string[]> {
  const seen = new Set<string>();
  const queue = ['app.js'];
  while (queue.length > 0) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const source = await (await fetch(`${assetBase}/${name}`)).text();
    for (const match of source.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+'\.\/([^']+)'/gm)) {
      queue.push(match[1]!);
    }
  }
  return [...seen].sort();
}

describe('GET /dashboard', () => {
  it('serves the page shell without a key, under a strict CSP, never cached stale', async () => {
    const response = await fetch(`${server.url}/dashboard`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(DASHBOARD_CSP).toContain("script-src 'self'");
    expect(DASHBOARD_CSP).toContain("default-src 'none'");
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('has no inline script or style, no handlers and no external URL', () => {
    const scripts = [...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]![0]).toContain('type="module"');
    expect(scripts[0]![1]).toBe('');
    expect(page).not.toMatch(/<style\b/);
    expect(page).not.toMatch(/\sstyle=/);
    expect(page).not.toMatch(/\son[a-z]+=/);
    expect(page).not.toMatch(/(https?:)?\/\/[a-z0-9]/i);
    expect(page).not.toContain('{{');
  });

  it('serves every module the page imports, as JavaScript cached for good', async () => {
    const modules = await moduleGraph();
    expect(modules).toEqual([
      'api.js',
      'app.js',
      'chart-specs.js',
      'charts.js',
      'dom.js',
      'format.js',
      'panels.js',
      'uPlot.esm.js',
    ]);
    for (const name of modules) {
      const response = await fetch(`${assetBase}/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type'), name).toBe('text/javascript; charset=utf-8');
      expect(response.headers.get('cache-control'), name).toBe(
        'public, max-age=31536000, immutable',
      );
    }
  });

  it('serves uPlot 1.6.32 from the installed package, and the stylesheets as CSS', async () => {
    const uplot = await fetch(`${assetBase}/uPlot.esm.js`, {
      headers: { 'accept-encoding': 'identity' },
    });
    const body = await uplot.text();
    expect(body).toBe(readFileSync(UPLOT_ESM, 'utf8'));
    expect(body).toContain('(v1.6.32)');
    for (const name of ['uPlot.min.css', 'dashboard.css']) {
      expect(page).toContain(`/${name}"`);
      const response = await fetch(`${assetBase}/${name}`);
      expect(response.headers.get('content-type'), name).toBe('text/css; charset=utf-8');
    }
    const icon = await fetch(`${assetBase}/favicon.svg`);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('sends text assets gzipped to clients that accept it, and plain to others', async () => {
    const plain = readFileSync(new URL('app.js', PUBLIC_DIR));
    // undici's request, unlike fetch, hands over the bytes as they came.
    const response = await request(`${assetBase}/app.js`, {
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(Buffer.from(await response.body.arrayBuffer()))).toEqual(plain);
    const identity = await fetch(`${assetBase}/app.js`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(Buffer.from(await identity.arrayBuffer())).toEqual(plain);
  });

  it('answers 404 in the API error shape for an unknown file, an old version or a path trick', async () => {
    const current = assetBase.slice(assetBase.lastIndexOf('/') + 1);
    for (const path of [
      `dashboard/assets/${current}/missing.js`,
      'dashboard/assets/000000000000/app.js',
      `dashboard/assets/${current}/..%2F..%2Fpackage.json`,
      `dashboard/assets/${current}/index.html`,
    ]) {
      const response = await fetch(`${server.url}/${path}`);
      expect(response.status, path).toBe(404);
      const body = (await response.json()) as { error: { code: string } };
      expect(body.error.code, path).toBe('RAMPART_NOT_FOUND');
    }
  });

  it('sends /dashboard/ to /dashboard, where the relative asset URLs resolve', async () => {
    const response = await fetch(`${server.url}/dashboard/`, { redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(new URL(response.headers.get('location')!, `${server.url}/dashboard/`).href).toBe(
      `${server.url}/dashboard`,
    );
  });

  it('names its assets by content: the version changes when a file does', () => {
    const assets = loadDashboardAssets();
    expect(page).toContain(`dashboard/assets/${assets.version}/app.js`);
    expect(assets.version).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('observe.dashboard.enabled: false', () => {
  it('does not serve the page or its assets', async () => {
    const off = await startTestServer({ config: { observe: { dashboard: { enabled: false } } } });
    try {
      expect((await fetch(`${off.url}/dashboard`)).status).toBe(404);
      const asset = `${off.url}/dashboard/assets/${loadDashboardAssets().version}/app.js`;
      expect((await fetch(asset)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});

describe('packaging', () => {
  it('ships the page files with the package, and the built code finds them', async () => {
    const listing = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: new URL('../../../', import.meta.url),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files = new Set(
      (JSON.parse(listing) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map(
        (file) => file.path,
      ),
    );
    const own = loadDashboardAssets();
    for (const name of [...own.files.keys(), 'index.html']) {
      if (name.startsWith('uPlot.')) continue;
      expect(files.has(`src/observe/dashboard/public/${name}`), name).toBe(true);
    }
    // dist/ is built from these sources before the suite (vitest.global-setup.ts).
    const built = (await import(
      new URL('../../../dist/observe/dashboard/assets.js', import.meta.url).href
    )) as { loadDashboardAssets: typeof loadDashboardAssets };
    expect(built.loadDashboardAssets().version).toBe(own.version);
  }, 60_000);
});
