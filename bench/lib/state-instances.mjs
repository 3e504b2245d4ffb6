/* global fetch, AbortSignal -- Node 20 globals; no-undef knows only the ECMAScript ones here */
// The three Rampart instances of the state-backend comparison, their config, and what is checked
// about each one before and after its load: that limits are on exactly where they should be, and
// that the Redis instance left keys under its own prefix (so it really kept its state in Redis).
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { MODEL } from './bench-servers.mjs';

/** The instances, in the order they run by default. */
export const INSTANCE_NAMES = ['local-nolimits', 'local-limits', 'redis-limits'];

function limitsConfig(limits) {
  return [
    'limits:',
    `  default: { requestsPerMinute: ${limits.requestsPerMinute}, tokensPerMinute: ${limits.tokensPerMinute} }`,
    `  global: { maxConcurrentModelCalls: ${limits.maxConcurrentModelCalls} }`,
  ];
}

/**
 * The YAML lines each instance adds to the bench config. The Redis instance fails closed: were
 * Redis slow or down, its requests would fail visibly (503) instead of quietly falling back to
 * in-process limits and being measured as if they had used Redis.
 */
export function instanceConfig(name, { limits, redisUrl, keyPrefix }) {
  if (name === 'local-nolimits') return [];
  if (name === 'local-limits') return limitsConfig(limits);
  return [
    ...limitsConfig(limits),
    'state:',
    '  backend: redis',
    `  url: ${JSON.stringify(redisUrl)}`,
    `  keyPrefix: ${JSON.stringify(keyPrefix)}`,
    '  onFailure: { rateLimits: fail-closed, concurrency: fail-closed }',
  ];
}

/**
 * One request to Rampart, checking the rate-limit headers: present with the configured request
 * limit when limits are on, absent when they are off. Throws when they are not as configured.
 */
export async function checkLimitHeaders({ rampart, name, limits }) {
  const response = await fetch(rampart.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${rampart.key}` },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: 'Hello.' }] }),
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  const limit = response.headers.get('x-ratelimit-limit-requests');
  const wanted = name === 'local-nolimits' ? null : String(limits.requestsPerMinute);
  if (response.status !== 200 || limit !== wanted) {
    throw new Error(
      `${name}: status ${response.status}, x-ratelimit-limit-requests ${limit}, expected ${wanted}`,
    );
  }
  return { status: response.status, limitHeader: limit };
}

/** Stops one server started by startServer: SIGTERM to its group, SIGKILL after `graceMs`. */
export async function stopServer(server, graceMs = 5_000) {
  const signal = (name) => {
    try {
      process.kill(-server.pid, name);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const exited = await Promise.race([server.exited.then(() => true), sleep(graceMs)]);
  if (exited) return;
  signal('SIGKILL');
  await Promise.race([server.exited, sleep(1_000)]);
}

/** The lines of a server's log (at level warn, every line is a warning or an error). */
export function logLines(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/** Requests the simulator has answered so far. */
export async function simulatorRequests(upstream) {
  const response = await fetch(`http://127.0.0.1:${upstream.port}/__stats`, {
    signal: AbortSignal.timeout(5_000),
  });
  return (await response.json()).requests;
}
