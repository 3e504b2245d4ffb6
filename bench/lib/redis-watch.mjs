// The shared Redis seen from the benchmark: its server process (for CPU), its command counters
// (commands and Redis's own execution time per request), and the keys of one run, found and
// removed by their prefix. The Redis is shared with other work, so nothing here touches a key
// outside the run's prefix.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { Redis } from 'ioredis';

/** Connects once, with no retries: a Redis that is not there should fail the run at once. */
export async function connectRedis(url) {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    connectionName: 'rampart-bench',
  });
  // A failed command rejects its own promise; the event would only repeat it.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

function infoField(info, name) {
  const line = info.split('\r\n').find((text) => text.startsWith(`${name}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

function processName(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/**
 * The PID of the Redis server, for reading its CPU from /proc: the `process_id` it reports when
 * that PID is a redis-server here (it is not when Redis runs in another PID namespace), else the
 * only `redis-server` that `pgrep -x` finds. Resolves to `{pid, version}`; `pid` is null when
 * neither works.
 */
export async function findRedisServer(client) {
  const info = await client.info('server');
  const version = infoField(info, 'redis_version');
  const reported = Number(infoField(info, 'process_id'));
  if (reported && processName(reported) === 'redis-server') return { pid: reported, version };
  let found = [];
  try {
    found = execFileSync('pgrep', ['-x', 'redis-server'], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    // pgrep exits 1 when nothing matches.
  }
  return { pid: found.length === 1 && found[0] ? Number(found[0]) : null, version };
}

/**
 * The server's command counters: calls and microseconds per command name, from INFO
 * commandstats. The benchmark's own INFO calls are left out.
 */
export async function readCommandStats(client) {
  const info = String(await client.call('INFO', 'commandstats'));
  const commands = {};
  for (const line of info.split('\r\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/.exec(line);
    if (!match || match[1] === 'info') continue;
    commands[match[1]] = { calls: Number(match[2]), usec: Number(match[3]) };
  }
  return commands;
}

/** What two {@link readCommandStats} readings differ by: totals and per command. */
export function commandsBetween(before, after) {
  const perCommand = {};
  let calls = 0;
  let usec = 0;
  for (const [name, now] of Object.entries(after)) {
    const then = before[name] ?? { calls: 0, usec: 0 };
    const delta = { calls: now.calls - then.calls, usec: now.usec - then.usec };
    if (delta.calls <= 0) continue;
    perCommand[name] = delta;
    calls += delta.calls;
    usec += delta.usec;
  }
  return { calls, usec, perCommand };
}

// SCAN's MATCH is a glob: a prefix is matched literally by escaping the glob's special characters.
function globFor(prefix) {
  return `${prefix.replace(/[*?[\]\\]/g, (char) => `\\${char}`)}*`;
}

/** Every key that starts with `prefix` (SCAN, so the server is never blocked). */
export async function keysWithPrefix(client, prefix) {
  const keys = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', globFor(prefix), 'COUNT', 1000);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return [...new Set(keys)].filter((key) => key.startsWith(prefix));
}

/** Removes the keys that start with `prefix`, and only those; resolves to how many it removed. */
export async function removeKeysWithPrefix(client, prefix) {
  const keys = await keysWithPrefix(client, prefix);
  for (let start = 0; start < keys.length; start += 500) {
    await client.unlink(...keys.slice(start, start + 500));
  }
  return keys.length;
}
