import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { RampartError } from '../../core/errors.js';

/**
 * The page's own files. They are plain browser ES modules and CSS, kept in the repo as they are
 * served (no bundler). The path goes through the package root so the same URL works from
 * `src/` under the tests and from `dist/` once built: `src/observe/dashboard/public` ships with
 * the package (package.json `files`) and is read in place.
 */
const PUBLIC_DIR = new URL('../../../src/observe/dashboard/public/', import.meta.url);

const PAGE = 'index.html';

const OWN_FILES = [
  'app.js',
  'api.js',
  'charts.js',
  'chart-specs.js',
  'panels.js',
  'format.js',
  'dom.js',
  'dashboard.css',
  'favicon.svg',
] as const;

/** uPlot's browser build and stylesheet, resolved through Node's resolver, not a fixed path. */
const UPLOT_FILES = {
  'uPlot.esm.js': 'uplot/dist/uPlot.esm.js',
  'uPlot.min.css': 'uplot/dist/uPlot.min.css',
};

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.html': 'text/html; charset=utf-8',
};

export interface Asset {
  body: Buffer;
  /** The body compressed once at start, for text files; absent where it would not help. */
  gzip?: Buffer;
  contentType: string;
}

/** Everything the page loads, read once at start, plus a version that changes with any byte. */
export interface DashboardAssets {
  /** Content hash of every asset: part of their URLs, so they can be cached for good. */
  version: string;
  /** The page shell, with the versioned asset URLs filled in. */
  page: Buffer;
  /** Assets by file name. */
  files: ReadonlyMap<string, Asset>;
}

function contentType(name: string): string {
  const type = CONTENT_TYPES[name.slice(name.lastIndexOf('.'))];
  if (type === undefined) {
    throw new RampartError('RAMPART_INTERNAL', `The dashboard file ${name} has no content type.`);
  }
  return type;
}

function asset(name: string, body: Buffer): Asset {
  const type = contentType(name);
  return type.startsWith('text/')
    ? { body, gzip: gzipSync(body), contentType: type }
    : { body, contentType: type };
}

function read(url: URL | string, name: string): Buffer {
  try {
    return readFileSync(url);
  } catch (error) {
    throw new RampartError('RAMPART_INTERNAL', `The dashboard file ${name} is missing.`, {
      cause: error,
    });
  }
}

function uplotPath(specifier: string): string {
  const require = createRequire(import.meta.url);
  return require.resolve(specifier);
}

/** Reads the page's files and uPlot's, and fills the page's asset URLs with their version. */
export function loadDashboardAssets(): DashboardAssets {
  const files = new Map<string, Asset>();
  for (const name of OWN_FILES) {
    files.set(name, asset(name, read(new URL(name, PUBLIC_DIR), name)));
  }
  for (const [name, specifier] of Object.entries(UPLOT_FILES)) {
    files.set(name, asset(name, read(uplotPath(specifier), name)));
  }
  const hash = createHash('sha256');
  for (const [name, file] of files) hash.update(name).update(file.body);
  const shell = read(new URL(PAGE, PUBLIC_DIR), PAGE).toString('utf8');
  hash.update(shell);
  const version = hash.digest('hex').slice(0, 12);
  // Relative to the page at `/dashboard`, so a proxy that mounts Rampart under a prefix still works.
  const page = Buffer.from(shell.replaceAll('{{assets}}', `dashboard/assets/${version}`));
  return { version, page, files };
}

let loaded: DashboardAssets | undefined;

/**
 * The assets, read on first use and kept: they cannot change while the process runs, and a test
 * run starts hundreds of servers.
 */
export function dashboardAssets(): DashboardAssets {
  loaded ??= loadDashboardAssets();
  return loaded;
}
