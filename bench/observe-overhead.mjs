#!/usr/bin/env node
// What monitoring costs per request, measured in one run on this machine: the same Rampart build
// routed to peerbench's upstream simulator, once with metrics (Prometheus series, stats rollups,
// anomaly detection) and tracing off and once with both on (traces exported over OTLP/HTTP to a sink in this process), in alternating rounds. Reports
// Rampart's own CPU per request (from /proc, so the load generator's CPU is not counted) and the
// added share. With --together the variants of a round run at once, each with its own
// connections, so a change in the machine's speed within a round meets them all; with --a, a
// variant can also run on another checkout's build. Needs a build (npm run build). Everything
// binds 127.0.0.1.
import { execFileSync } from 'node:child_process';
import console from 'node:console';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { childEnvironment, MODEL, startRampart, startUpstream } from './lib/bench-servers.mjs';
import { startOtlpSink, tracingConfig } from './lib/otlp-sink.mjs';
import { runInWorkFolder } from './lib/processes.mjs';

const HELP = `node bench/observe-overhead.mjs [options]

  --rounds N       alternating off/on rounds (default 4)
  --duration S     measured seconds per variant and round (default 8)
  --warmup S       warm-up seconds before each measurement (default 2)
  --conns N        concurrent requests (default 16)
  --stream         streamed chat completions instead of buffered ones
  --variants LIST  off,on (default); also metrics (metrics alone), tracing (tracing alone),
                   prometheus (the /metrics series alone), stats (stats and anomaly alone);
                   NAME@a runs variant NAME on the build in --a
  --a DIR          another checkout, built (npm run build), for the NAME@a variants: two
                   builds compared in the same run
  --sample-ratio R share of turns traced in the tracing variants, 0..1 (default 1: all)
  --protocol P     the OTLP encoding of the exports, http/protobuf (default) or http/json
  --together       start every variant's Rampart at once in each round and drive them all in
                   the same seconds, so a drift in the machine's speed meets them alike
  --steady         start each variant's Rampart once, warm them all up once (--warmup), then
                   measure every round on the same processes: the cost per request of servers
                   that have run a while, without the compiling of their first seconds (with
                   --together side by side, else one after the other in each round)
  --pin            pin every Rampart to the last CPU this run may use, and this process and
                   the upstream to the others (taskset), so the servers compared share one
                   core and its speed, and the load generator does not take turns with them
  --cpu-prof DIR   run Rampart under node --cpu-prof, a profile per variant and round in DIR
  --threads        also print each variant's CPU per request by thread, medians: the main
                   thread apart (and its time in the kernel), the others by name (V8's
                   workers for garbage collection and compiling, libuv's pool; Node 20
                   names them all \`node\`)
  --peerbench DIR  the peerbench harness (default ../shared/peerbench from the repository)`;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const TICKS_PER_SECOND = 100; // Linux USER_HZ

function readOptions() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '4' },
      duration: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '2' },
      conns: { type: 'string', default: '16' },
      stream: { type: 'boolean', default: false },
      together: { type: 'boolean', default: false },
      steady: { type: 'boolean', default: false },
      pin: { type: 'boolean', default: false },
      threads: { type: 'boolean', default: false },
      variants: { type: 'string', default: 'off,on' },
      'cpu-prof': { type: 'string' },
      'sample-ratio': { type: 'string', default: '1' },
      protocol: { type: 'string', default: 'http/protobuf' },
      peerbench: { type: 'string' },
      a: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  return {
    help: values.help,
    rounds: Number(values.rounds),
    duration: Number(values.duration),
    warmup: Number(values.warmup),
    conns: Number(values.conns),
    stream: values.stream,
    together: values.together,
    steady: values.steady,
    pin: values.pin ? pinning() : undefined,
    threads: values.threads,
    variants: values.variants.split(','),
    cpuProf: values['cpu-prof'],
    sampleRatio: Number(values['sample-ratio']),
    protocol: values.protocol,
    peerbench: path.resolve(values.peerbench ?? path.join(REPO, '../shared/peerbench')),
    a: values.a === undefined ? undefined : path.resolve(values.a),
  };
}

/** The CPUs this process may run on (`Cpus_allowed_list`, e.g. `0-3,6`), in order. */
function allowedCpus() {
  const status = readFileSync('/proc/self/status', 'utf8');
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(status)?.[1] ?? '0';
  return list.split(',').flatMap((range) => {
    const [first, last = first] = range.split('-').map(Number);
    return Array.from({ length: last - first + 1 }, (_, index) => first + index);
  });
}

/**
 * `--pin`: the servers on the last allowed CPU, the rest of the run on the others. Planned when
 * the options are read, before this process is bound, which narrows what it is allowed.
 */
function pinning() {
  const cpus = allowedCpus();
  const server = String(cpus.at(-1));
  return { server, others: cpus.length > 1 ? cpus.slice(0, -1).join(',') : server };
}

/** Binds every thread of a process to the CPUs given (a `taskset` list). */
function pin(pid, cpus) {
  try {
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(pid)], {
      stdio: 'ignore',
    });
  } catch (error) {
    throw new Error(`--pin: taskset could not bind process ${pid} to CPU ${cpus}`, {
      cause: error,
    });
  }
}

/** utime and stime of one process, or of one thread given as `PID/task/TID`, in clock ticks. */
function cpuTimes(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return { user: fields[11], system: fields[12] };
}

/** utime + stime of one process, in clock ticks. */
function cpuTicks(pid) {
  const { user, system } = cpuTimes(pid);
  return user + system;
}

/**
 * utime + stime of each of a process's threads, in clock ticks, summed by kind: the main thread
 * (whose id is the process's) apart, its time in the kernel on its own, and the others by their
 * name (on Node 20 all `node`). A thread that exits between two readings takes its ticks with
 * it; Node's threads live as long as the process.
 */
function threadTicks(pid) {
  const byKind = new Map();
  const add = (kind, ticks) => byKind.set(kind, (byKind.get(kind) ?? 0) + ticks);
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const { user, system } = cpuTimes(`${pid}/task/${tid}`);
      if (tid === String(pid)) {
        add('main', user + system);
        add('main in kernel', system);
      } else add(readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim(), user + system);
    } catch {
      // The thread ended while it was read.
    }
  }
  return byKind;
}

/**
 * Monitoring's config per variant. "Metrics" is everything counted per turn: the Prometheus
 * series, the stats rollups behind `/v1/stats` and the anomaly detector that reads them.
 */
const metricsLines = (on) => [
  `  metrics: { enabled: ${on} }`,
  `  stats: { enabled: ${on} }`,
  `  anomaly: { enabled: ${on} }`,
];
// Every turn traced, with a queue deep enough that no span is dropped: the cost is all counted.
const tracingLines = (sink, options) =>
  sink
    ? tracingConfig(sink.url, options.sampleRatio, options.protocol).slice(1)
    : ['  tracing: { enabled: false }'];

const VARIANTS = {
  off: () => ['observe:', ...metricsLines(false), ...tracingLines()],
  // The parts of "metrics" alone: the Prometheus series, and the stats rollups with the detector.
  prometheus: () => [
    'observe:',
    '  metrics: { enabled: true }',
    '  stats: { enabled: false }',
    '  anomaly: { enabled: false }',
    ...tracingLines(),
  ],
  stats: () => [
    'observe:',
    '  metrics: { enabled: false }',
    '  stats: { enabled: true }',
    '  anomaly: { enabled: true }',
    ...tracingLines(),
  ],
  metrics: () => ['observe:', ...metricsLines(true), ...tracingLines()],
  tracing: (sink, options) => ['observe:', ...metricsLines(false), ...tracingLines(sink, options)],
  on: (sink, options) => ['observe:', ...metricsLines(true), ...tracingLines(sink, options)],
};

/** Sends requests from `conns` loops for `seconds`; resolves to the count that got 200. */
async function drive({ url, key, conns, seconds, stream }) {
  const dispatcher = new Agent({ connections: conns, pipelining: 1 });
  const body = JSON.stringify({
    model: MODEL,
    messages: [{ role: 'user', content: 'Say hello in one short sentence.' }],
    stream,
  });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const deadline = Date.now() + seconds * 1000;
  let ok = 0;
  let failed = 0;
  const loop = async () => {
    while (Date.now() < deadline) {
      const response = await request(url, { method: 'POST', headers, body, dispatcher });
      await response.body.dump({ limit: Infinity }).catch(() => response.body.text());
      if (response.statusCode === 200) ok += 1;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: conns }, loop));
  await dispatcher.close();
  return { ok, failed };
}

/** `metrics@a` is the variant `metrics` on the build in `--a`. */
function splitVariant(name, options) {
  const [variant, build] = name.split('@');
  return { variant, repo: build === 'a' ? options.a : REPO };
}

function startVariant({ name, options, env, upstream, sink, work, round }) {
  const dir = path.join(work, `${name}-${round}`);
  mkdirSync(dir);
  const { variant, repo } = splitVariant(name, options);
  return startRampart({
    options: options.cpuProf ? { 'cpu-prof': path.join(options.cpuProf, `${name}-${round}`) } : {},
    cli: path.join(repo, 'dist/cli/main.js'),
    work: dir,
    env,
    simPort: upstream.port,
    extraConfig: VARIANTS[variant](sink, options),
  });
}

const toMs = (ticks) => (ticks / TICKS_PER_SECOND) * 1000;

/** Drives every server at once for `seconds`, `conns` loops each. */
function driveAll(servers, options, seconds) {
  return Promise.all(
    servers.map(({ rampart }) =>
      drive({
        url: rampart.url,
        key: rampart.key,
        conns: options.conns,
        stream: options.stream,
        seconds,
      }),
    ),
  );
}

/** Pins the servers (with `--pin`) and drives them through the warm-up seconds. */
async function warmUp(servers, options) {
  if (options.pin) for (const { rampart } of servers) pin(rampart.server.pid, options.pin.server);
  await driveAll(servers, options, options.warmup);
}

/**
 * Drives every server at once for the measured seconds and reads each server's CPU over the
 * same seconds: one row per server, for `round`. With one server this is the plain measure.
 */
async function measureServers(servers, options, round) {
  const before = servers.map(({ rampart }) => cpuTicks(rampart.server.pid));
  const threadsBefore = servers.map(({ rampart }) =>
    options.threads ? threadTicks(rampart.server.pid) : undefined,
  );
  const started = process.hrtime.bigint();
  const results = await driveAll(servers, options, options.duration);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  return servers.map(({ name, rampart }, index) => {
    const cpuMs = toMs(cpuTicks(rampart.server.pid) - before[index]);
    const result = results[index];
    const threads = {};
    if (options.threads) {
      for (const [kind, ticks] of threadTicks(rampart.server.pid)) {
        threads[kind] = toMs(ticks - (threadsBefore[index].get(kind) ?? 0)) / result.ok;
      }
    }
    return {
      variant: name,
      round,
      requests: result.ok,
      failed: result.failed,
      requestsPerSecond: result.ok / wall,
      cpuMsPerRequest: cpuMs / result.ok,
      threads,
    };
  });
}

async function stopServers(servers) {
  for (const { rampart } of servers) {
    process.kill(rampart.server.pid, 'SIGTERM');
    await rampart.server.exited;
  }
}

/** Alternates which variant goes first, so a drift in the machine's load meets them alike. */
function inRoundOrder(items, round) {
  return round % 2 ? items : [...items].reverse();
}

/** Starts one Rampart per variant, all at once. */
function startServers({ order, options, round, ...context }) {
  return Promise.all(
    order.map(async (name) => ({
      name,
      rampart: await startVariant({ name, options, round, ...context }),
    })),
  );
}

/** Warms fresh servers up, measures them once, and stops them. */
async function measureFresh(servers, options, round) {
  await warmUp(servers, options);
  const rows = await measureServers(servers, options, round);
  await stopServers(servers);
  return rows;
}

/** One round: each variant alone in turn, or (`--together`) all of them in the same seconds. */
async function measureRound({ order, options, round, ...context }) {
  if (options.together) {
    return measureFresh(await startServers({ order, options, round, ...context }), options, round);
  }
  const rows = [];
  for (const name of order) {
    const servers = await startServers({ order: [name], options, round, ...context });
    rows.push(...(await measureFresh(servers, options, round)));
  }
  return rows;
}

/**
 * `--steady`: every variant's Rampart started once and warmed up once, then measured round after
 * round, so that what is measured is a running server's cost per request and not its first
 * seconds, when the compiler is still at work on its hot code. With `--together` the servers are
 * driven in the same seconds; without, one after the other in each round (in alternating order),
 * each with the core to itself while it is measured.
 */
async function measureSteady({ options, report, ...context }) {
  const servers = await startServers({ order: options.variants, options, round: 1, ...context });
  try {
    await warmUp(servers, options);
    for (let round = 1; round <= options.rounds; round++) {
      if (options.together) {
        for (const row of await measureServers(servers, options, round)) report(row);
        continue;
      }
      for (const server of inRoundOrder(servers, round)) {
        for (const row of await measureServers([server], options, round)) report(row);
      }
    }
  } finally {
    await stopServers(servers);
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** `--threads`: per variant, the median CPU ms per request of each kind of thread. */
function printThreads(rows, variants) {
  const kinds = [...new Set(rows.flatMap((row) => Object.keys(row.threads)))].sort();
  console.log(`\n| variant | ${kinds.join(' | ')} |`);
  console.log(`| ------- |${kinds.map(() => ' ---- |').join('')}`);
  for (const name of variants) {
    const mine = rows.filter((row) => row.variant === name);
    const cells = kinds.map((kind) => median(mine.map((row) => row.threads[kind] ?? 0)).toFixed(4));
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}

async function main() {
  const options = readOptions();
  if (options.help) return console.log(HELP);
  const unknown = options.variants.filter((name) => {
    const [variant, build, ...rest] = name.split('@');
    const buildKnown = build === undefined || (build === 'a' && options.a !== undefined);
    return !(variant in VARIANTS) || !buildKnown || rest.length > 0;
  });
  if (unknown.length > 0 || !options.variants.includes('off')) {
    console.error(
      `observe-overhead: --variants takes off plus any of metrics, prometheus, stats, tracing, on` +
        ` (NAME@a with --a DIR)\n\n${HELP}`,
    );
    process.exitCode = 2;
    return;
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'rampart-observe-overhead-'));
  await runInWorkFolder({ name: 'observe-overhead', work, keep: false }, async () => {
    const env = childEnvironment();
    const upstream = await startUpstream({ options, work, env });
    if (options.pin) {
      pin(process.pid, options.pin.others);
      pin(upstream.server.pid, options.pin.others);
    }
    const sink = await startOtlpSink();
    const rows = [];
    const report = (row) => {
      rows.push(row);
      console.error(
        `round ${row.round} ${row.variant}: ${row.requests} requests (${row.failed} failed), ` +
          `${row.requestsPerSecond.toFixed(0)}/s, ${row.cpuMsPerRequest.toFixed(4)} CPU ms/request`,
      );
    };
    if (options.steady) await measureSteady({ options, report, env, upstream, sink, work });
    else {
      for (let round = 1; round <= options.rounds; round++) {
        const order = inRoundOrder(options.variants, round);
        const context = { order, options, env, upstream, sink, work, round };
        for (const row of await measureRound(context)) report(row);
      }
    }
    const medians = Object.fromEntries(
      options.variants.map((name) => [
        name,
        median(rows.filter((row) => row.variant === name).map((row) => row.cpuMsPerRequest)),
      ]),
    );
    // Each round runs every variant back to back, so a variant's ratio to the same round's `off`
    // cancels the drift of the machine between rounds; its median and range are the steadier
    // figure when the machine is shared.
    const paired = (name) => {
      const ratios = [];
      for (let round = 1; round <= options.rounds; round++) {
        const of = (variant) =>
          rows.find((row) => row.round === round && row.variant === variant)?.cpuMsPerRequest;
        ratios.push((of(name) / of('off') - 1) * 100);
      }
      return ratios;
    };
    const percent = (value) => `${value.toFixed(2)} %`;
    console.log(
      `\n| variant | median Rampart CPU ms/request | added over off | ` +
        `added, paired by round: median (min to max) | rounds |`,
    );
    console.log(`| ------- | ---- | ---- | ---- | ---- |`);
    for (const [name, value] of Object.entries(medians)) {
      const added = percent(((value - medians.off) / medians.off) * 100);
      const ratios = paired(name);
      const range = `${percent(median(ratios))} (${percent(Math.min(...ratios))} to ${percent(Math.max(...ratios))})`;
      console.log(`| ${name} | ${value.toFixed(4)} | ${added} | ${range} | ${options.rounds} |`);
    }
    if (options.threads) printThreads(rows, options.variants);
    const received = sink.stats();
    console.log(
      `trace exports received: ${received.requests} requests, ${received.spans} spans, ${received.bytes} bytes`,
    );
    await sink.close();
    console.log(
      `mode: ${options.stream ? 'stream' : 'nonstream'}, ${options.conns} connections, ` +
        `tracing sample ratio ${options.sampleRatio} over ${options.protocol}, ` +
        `${options.together ? 'variants side by side' : 'one variant at a time'}` +
        `${options.steady ? `, the same servers every round after ${options.warmup} s of warm-up` : ''}${options.pin ? `, Rampart pinned to CPU ${options.pin.server}` : ''}, load average now ${os
          .loadavg()
          .map((v) => v.toFixed(2))
          .join(' ')}`,
    );
  });
}

await main();
