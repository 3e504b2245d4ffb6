#!/usr/bin/env node
// What per-user limits cost per request, and what keeping them in Redis adds, measured in one
// run on this machine. Three Rampart instances run one after another against the same peerbench
// upstream simulator: local state without limits, local state with limits, and Redis state with
// the same limits. Each instance's peerbench run has the direct upstream as its first target.
// Everything binds 127.0.0.1. See docs/benchmarks.md for how to read the output.
import console from 'node:console';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { childEnvironment, MODEL, startRampart, startUpstream } from './lib/bench-servers.mjs';
import { chooseLoadTool, describeMachine } from './lib/environment.mjs';
import { createCpuMeter } from './lib/cpu-accounting.mjs';
import { runMatrix } from './lib/peerbench-runs.mjs';
import { runInWorkFolder, runningPids } from './lib/processes.mjs';
import { sanityCheck } from './lib/sanity-check.mjs';
import {
  commandsBetween,
  connectRedis,
  findRedisServer,
  keysWithPrefix,
  readCommandStats,
  removeKeysWithPrefix,
} from './lib/redis-watch.mjs';
import {
  renderStateMarkdown,
  summarizeCosts,
  summarizeInstances,
} from './lib/state-backends-summary.mjs';
import {
  checkLimitHeaders,
  instanceConfig,
  INSTANCE_NAMES,
  logLines,
  simulatorRequests,
  stopServer,
} from './lib/state-instances.mjs';

const HELP = `node bench/state-backends.mjs [options]

Compares three Rampart instances, one after another, against the same upstream simulator:
local state without limits, local state with limits that never refuse, and Redis state with the
same limits. Reports requests/s, p50/p99, Rampart CPU per request, the Redis server's CPU and
commands per request, and the cost of the rate-limit check and of Redis. Needs a build
(npm run build), wrk (apt-get install -y wrk) or autocannon, and a Redis.

  --duration S        measured seconds per cell (default 6)
  --warmup S          warm-up seconds before each cell (default 2)
  --conns LIST        concurrency levels (default 1,16,64)
  --modes LIST        nonstream,stream (default both)
  --instances LIST    which instances, in which order (default ${INSTANCE_NAMES.join(',')})
  --redis-url URL     the Redis (default redis://127.0.0.1:6379); only keys under a prefix unique
                      to the run are written, and they are removed at the end
  --rpm N, --tpm N    requestsPerMinute and tokensPerMinute of the limits (default 10000000 and
                      1000000000: never reached)
  --max-calls N       global.maxConcurrentModelCalls (default 10000: never reached)
  --out FILE          results JSON (default: rampart-state-backends-<time>.json in the temp folder)
  --peerbench DIR     the peerbench harness (default ../shared/peerbench from the repository)
  --tool wrk|autocannon, --autocannon PATH   load generator (default wrk when installed)
  --keep              keep the temporary data folders and server logs`;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');

function positive(text, name) {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

function list(text, allowed, name) {
  const values = text.split(',');
  const wrong = values.find((value) => !allowed.includes(value));
  if (wrong !== undefined) throw new Error(`--${name}: unknown ${wrong} (${allowed.join(', ')})`);
  return values;
}

function readOptions() {
  const text = (fallback) => ({ type: 'string', default: fallback });
  const { values } = parseArgs({
    options: {
      duration: text('6'),
      warmup: text('2'),
      conns: text('1,16,64'),
      modes: text('nonstream,stream'),
      instances: text(INSTANCE_NAMES.join(',')),
      'redis-url': text('redis://127.0.0.1:6379'),
      rpm: text('10000000'),
      tpm: text('1000000000'),
      'max-calls': text('10000'),
      out: { type: 'string' },
      peerbench: { type: 'string' },
      tool: { type: 'string' },
      autocannon: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    ...values,
    duration: positive(values.duration, 'duration'),
    warmup: Number(values.warmup),
    conns: values.conns.split(',').map((value) => positive(value, 'conns')),
    modes: list(values.modes, ['nonstream', 'stream'], 'modes'),
    instances: list(values.instances, INSTANCE_NAMES, 'instances'),
    redisUrl: values['redis-url'],
    limits: {
      requestsPerMinute: Math.trunc(positive(values.rpm, 'rpm')),
      tokensPerMinute: Math.trunc(positive(values.tpm, 'tpm')),
      maxConcurrentModelCalls: Math.trunc(positive(values['max-calls'], 'max-calls')),
    },
    // Unique per run, so that this run's keys can be told apart from everyone else's and removed.
    keyPrefix: `rampart-bench-${stamp}-${randomBytes(3).toString('hex')}:`,
    out: path.resolve(values.out ?? path.join(os.tmpdir(), `rampart-state-backends-${stamp}.json`)),
    peerbench: path.resolve(values.peerbench ?? path.join(REPO, '../shared/peerbench')),
  };
}

function preflight(options) {
  const cli = path.join(REPO, 'dist/cli/main.js');
  if (!existsSync(cli)) return { error: `${cli} is missing: run \`npm run build\` first.` };
  for (const file of ['upstream-sim.mjs', 'bench.mjs']) {
    const full = path.join(options.peerbench, file);
    if (!existsSync(full)) return { error: `${full} is missing: pass --peerbench DIR.` };
  }
  const load = chooseLoadTool({
    requested: options.tool,
    autocannonPath: options.autocannon,
    repoRoot: REPO,
  });
  return load.error ? load : { cli, ...load };
}

// Redis's command counters and the simulator's request count at the end of each cell: their
// differences give the Redis commands per request a cell made (its warm-up included).
function redisCellWatcher({ redis, upstream }) {
  const readings = [];
  const read = () => Promise.all([readCommandStats(redis), simulatorRequests(upstream)]);
  const baseline = read();
  return {
    onCell: (key) => readings.push({ key, reading: read() }),
    async cells() {
      const cells = {};
      let [previousCommands, previousRequests] = await baseline;
      for (const { key, reading } of readings) {
        const [commands, requests] = await reading;
        cells[key] = {
          requests: requests - previousRequests,
          commands: commandsBetween(previousCommands, commands),
        };
        [previousCommands, previousRequests] = [commands, requests];
      }
      return cells;
    },
  };
}

// The Redis instance must have written keys under its prefix: otherwise it did not use Redis.
async function checkAndRemoveKeys(run) {
  const keys = await keysWithPrefix(run.redis, run.options.keyPrefix);
  console.error(`keys under ${run.options.keyPrefix}: ${keys.length}`);
  for (const key of keys.slice(0, 10)) console.error(`  ${key}`);
  if (keys.length === 0) throw new Error(`no keys under ${run.options.keyPrefix}: Redis unused`);
  const removed = await removeKeysWithPrefix(run.redis, run.options.keyPrefix);
  const left = (await keysWithPrefix(run.redis, run.options.keyPrefix)).length;
  return { count: keys.length, sample: keys.slice(0, 10), removed, left };
}

async function runInstance(run, name) {
  const { options, load, env, upstream } = run;
  const work = path.join(run.work, name);
  mkdirSync(work);
  console.error(`\n== ${name}`);
  const extraConfig = instanceConfig(name, options);
  const rampart = await startRampart({
    options,
    cli: load.cli,
    work,
    env,
    simPort: upstream.port,
    extraConfig,
  });
  await sanityCheck({ upstream, rampart, model: MODEL });
  const headers = await checkLimitHeaders({ rampart, name, limits: options.limits });
  const meter = createCpuMeter(() => [...runningPids(), run.redisPid].filter(Boolean));
  const watcher = redisCellWatcher({ redis: run.redis, upstream });
  const { benchDoc, cellCpu } = await runMatrix({
    options,
    load,
    work,
    env,
    upstream,
    rampart,
    meter,
    extraPids: run.redisPid ? { redis: run.redisPid } : {},
    tag: `rampart state backends: ${name}`,
    onCell: watcher.onCell,
  });
  const redisCells = await watcher.cells();
  await stopServer(rampart.server);
  const warnings = logLines(rampart.server.logFile);
  const keys = name === 'redis-limits' ? await checkAndRemoveKeys(run) : null;
  const redacted = JSON.parse(JSON.stringify(benchDoc).replaceAll(rampart.key, '<redacted>'));
  return {
    name,
    config: extraConfig,
    headers,
    benchDoc: redacted,
    cellCpu,
    redisCells,
    logWarnings: { count: warnings.length, first: warnings.slice(0, 5) },
    keys,
  };
}

async function measure(run) {
  run.upstream = await startUpstream({ options: run.options, work: run.work, env: run.env });
  const instances = [];
  for (const name of run.options.instances) instances.push(await runInstance(run, name));
  return instances;
}

function report(run, instances) {
  const { options, load } = run;
  const rows = summarizeInstances(instances);
  const costs = summarizeCosts(rows);
  const markdown = renderStateMarkdown({ rows, costs });
  const machine = {
    ...describeMachine({ repoRoot: REPO, tool: load.tool }),
    redis: { version: run.redisVersion, pid: run.redisPid },
    loadAverage: { atStart: options.loadAtStart, atEnd: os.loadavg().map((v) => +v.toFixed(2)) },
  };
  const settings = {
    duration: options.duration,
    warmup: options.warmup,
    conns: options.conns,
    modes: options.modes,
    instances: options.instances,
    limits: options.limits,
    keyPrefix: options.keyPrefix,
  };
  const document = { measuredAt: run.startedAt, machine, settings, rows, costs, markdown };
  document.instances = instances;
  writeFileSync(options.out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(markdown);
  for (const instance of instances) {
    const keys = instance.keys ? `; keys ${instance.keys.count}, left ${instance.keys.left}` : '';
    console.log(`${instance.name}: log warnings ${instance.logWarnings.count}${keys}`);
  }
  console.log(
    `\nmachine: ${machine.cores} cores, ${machine.cpuModel}, node ${machine.node}, ` +
      `${machine.loadToolVersion ?? load.tool}, redis ${run.redisVersion} (pid ${run.redisPid})`,
  );
  const differ = machine.sourcesDiffer ? ', src/ differs from it' : '';
  console.log(`build: commit ${machine.commit}${differ}; dist built ${machine.distBuiltAt}`);
  console.log(
    `load average at start ${options.loadAtStart.join(' ')}, at end ${machine.loadAverage.atEnd.join(' ')}`,
  );
  console.log(`results: ${options.out}`);
}

async function prepare(options) {
  const load = preflight(options);
  if (load.error) throw Object.assign(new Error(load.error), { exitCode: 2 });
  const redis = await connectRedis(options.redisUrl);
  const { pid, version } = await findRedisServer(redis);
  if (!pid) console.error('state-backends: the Redis server PID was not found; no Redis CPU');
  return { load, redis, redisPid: pid, redisVersion: version };
}

async function main() {
  let options;
  try {
    options = readOptions();
  } catch (error) {
    console.error(`state-backends: ${error instanceof Error ? error.message : String(error)}\n`);
    console.error(HELP);
    process.exitCode = 2;
    return;
  }
  if (options.help) return console.log(HELP);
  options.loadAtStart = os.loadavg().map((value) => +value.toFixed(2));
  const cells = options.instances.length * options.modes.length * options.conns.length * 2;
  const expectedS = cells * (options.duration + options.warmup) + 10 * options.instances.length;
  console.error(`state-backends: ${cells} cells, about ${Math.ceil(expectedS / 60)} min`);
  const work = mkdtempSync(path.join(os.tmpdir(), 'rampart-state-backends-'));
  const run = { options, work, env: childEnvironment(), startedAt: new Date().toISOString() };
  const cleanup = async () => {
    if (!run.redis) return;
    // Rampart is stopped: nothing writes under the prefix any more.
    await removeKeysWithPrefix(run.redis, options.keyPrefix).catch((error) => {
      console.error(`state-backends: removing keys under ${options.keyPrefix}: ${error}`);
    });
    run.redis.disconnect();
  };
  await runInWorkFolder({ name: 'state-backends', work, keep: options.keep, cleanup }, async () => {
    Object.assign(run, await prepare(options));
    report(run, await measure(run));
  });
}

await main();
