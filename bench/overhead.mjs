#!/usr/bin/env node
// What Rampart adds over calling its upstream directly, measured in one run on this machine:
// peerbench's upstream simulator is the upstream, reached both directly and through Rampart;
// peerbench's bench.mjs drives the load matrix and probe.mjs the sequential first-event probe.
// Everything binds 127.0.0.1. See docs/benchmarks.md for how to read the output.
import console from 'node:console';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { childEnvironment, MODEL, startRampart, startUpstream } from './lib/bench-servers.mjs';
import { chooseLoadTool, describeMachine } from './lib/environment.mjs';
import {
  checkTargets,
  PEER_REQUESTS_PER_CPU_SECOND,
  renderMarkdown,
  summarizeLoad,
  summarizeProbe,
} from './lib/overhead-summary.mjs';
import { cpuBetween, createCpuMeter } from './lib/cpu-accounting.mjs';
import { runMatrix, runProbe } from './lib/peerbench-runs.mjs';
import { startOtlpSink, tracingConfig } from './lib/otlp-sink.mjs';
import { runInWorkFolder, runningPids } from './lib/processes.mjs';
import { sanityCheck } from './lib/sanity-check.mjs';

const HELP = `node bench/overhead.mjs [options]

Measures the overhead Rampart adds over its upstream: requests/s, added p50/p99 latency, Rampart
CPU per request and RSS for non-streaming and streaming chat completions, and the added time to
the first streamed event. Needs a build (npm run build) and wrk (apt-get install -y wrk) or
autocannon.

  --duration S        measured seconds per cell (default 10)
  --warmup S          warm-up seconds before each cell (default 2)
  --conns LIST        concurrency levels (default 1,16,64)
  --modes LIST        nonstream,stream (default both)
  --probe-n N         sequential probe requests per target and mode (default 300)
  --probe-warmup N    probe warm-up requests (default 30)
  --out FILE          results JSON (default: rampart-overhead-<time>.json in the temp folder)
  --peerbench DIR     the peerbench harness (default ../shared/peerbench from the repository)
  --tool wrk|autocannon, --autocannon PATH   load generator (default wrk when installed)
  --cpu-prof DIR      run Rampart under node --cpu-prof, profiles written to DIR
  --tracing           trace every turn (observe.tracing), exported over OTLP/HTTP to a sink in
                      this process; run once with and once without to see what tracing costs
  --keep              keep the temporary data folder and server logs`;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');

function readOptions() {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '2' },
      conns: { type: 'string', default: '1,16,64' },
      modes: { type: 'string', default: 'nonstream,stream' },
      'probe-n': { type: 'string', default: '300' },
      'probe-warmup': { type: 'string', default: '30' },
      out: { type: 'string' },
      peerbench: { type: 'string' },
      tool: { type: 'string' },
      autocannon: { type: 'string' },
      'cpu-prof': { type: 'string' },
      tracing: { type: 'boolean', default: false },
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
    modes: modes(values.modes),
    probeN: positive(values['probe-n'], 'probe-n'),
    probeWarmup: Number(values['probe-warmup']),
    out: path.resolve(values.out ?? path.join(os.tmpdir(), `rampart-overhead-${stamp}.json`)),
    peerbench: path.resolve(values.peerbench ?? path.join(REPO, '../shared/peerbench')),
  };
}

const round = (value) => Number(value.toFixed(2));

function modes(text) {
  const list = text.split(',');
  if (list.some((mode) => mode !== 'nonstream' && mode !== 'stream')) {
    throw new Error('--modes takes nonstream, stream or both');
  }
  return list;
}

function positive(text, name) {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

function preflight(options) {
  const cli = path.join(REPO, 'dist/cli/main.js');
  if (!existsSync(cli)) return { error: `${cli} is missing: run \`npm run build\` first.` };
  for (const file of ['upstream-sim.mjs', 'bench.mjs', 'probe.mjs']) {
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

// The key is a throwaway in a throwaway store, but it has no business in a results file.
function redact(benchDoc, key) {
  return JSON.parse(JSON.stringify(benchDoc).replaceAll(key, '<redacted>'));
}

async function measure(options, load, work) {
  const sink = options.tracing ? await startOtlpSink() : undefined;
  try {
    const measured = await measureWith(options, load, work, sink);
    return { ...measured, tracing: sink?.stats() };
  } finally {
    await sink?.close();
  }
}

async function measureWith(options, load, work, sink) {
  const env = childEnvironment();
  const upstream = await startUpstream({ options, work, env });
  const extraConfig = sink ? tracingConfig(sink.url) : [];
  const rampart = await startRampart({
    options,
    cli: load.cli,
    work,
    env,
    simPort: upstream.port,
    extraConfig,
  });
  await sanityCheck({ upstream, rampart, model: MODEL });
  console.error(
    `upstream pid ${upstream.server.pid}, rampart pid ${rampart.server.pid}; load tool ${load.tool}`,
  );
  const meter = createCpuMeter(runningPids);
  const start = meter.read();
  const run = { options, load, work, env, upstream, rampart, meter };
  const { benchDoc, cellCpu } = await runMatrix(run);
  const beforeProbe = meter.read();
  const probeDoc = await runProbe(run);
  const end = meter.read();
  const cpuDuringRun = {
    wholeRun: cpuBetween(start, end),
    probe: cpuBetween(beforeProbe, end),
    cells: cellCpu,
  };
  return { benchDoc: redact(benchDoc, rampart.key), probeDoc, cpuDuringRun };
}

function report({ options, load, benchDoc, probeDoc, cpuDuringRun, tracing }) {
  const loadRows = summarizeLoad(benchDoc, cpuDuringRun.cells);
  const probeRows = summarizeProbe(probeDoc);
  const checks = checkTargets(loadRows, probeRows);
  const markdown = renderMarkdown({ loadRows, probeRows, checks });
  const settings = {
    duration: options.duration,
    warmup: options.warmup,
    conns: options.conns,
    modes: options.modes,
    probeN: options.probeN,
    probeWarmup: options.probeWarmup,
    peerRequestsPerCpuSecond: PEER_REQUESTS_PER_CPU_SECOND,
    cpuProfile: Boolean(options['cpu-prof']),
    tracing: options.tracing,
  };
  const machine = {
    ...describeMachine({ repoRoot: REPO, tool: load.tool }),
    loadAverage: { atStart: options.loadAtStart, atEnd: os.loadavg().map((value) => round(value)) },
  };
  const document = {
    measuredAt: benchDoc.startedAt,
    machine,
    cpuDuringRun,
    settings,
    load: loadRows,
    probe: probeRows,
    checks,
    markdown,
    ...(tracing ? { tracingExport: tracing } : {}),
    raw: { bench: benchDoc, probe: probeDoc },
  };
  writeFileSync(options.out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(markdown);
  console.log(
    `\nmachine: ${machine.cores} cores, ${machine.cpuModel}, node ${machine.node}, ${machine.loadToolVersion ?? load.tool}`,
  );
  const differ = machine.sourcesDiffer ? ', src/ differs from it' : '';
  console.log(`build: commit ${machine.commit}${differ}; dist built ${machine.distBuiltAt}`);
  const whole = cpuDuringRun.wholeRun;
  console.log(
    `CPU during the run: benchmark ${whole.benchmarkCores} cores, other processes ` +
      `${whole.otherProcessesCores} cores (probe: ${cpuDuringRun.probe.otherProcessesCores}), ` +
      `steal ${whole.stealCores} (averages over ${whole.wallSeconds} s)`,
  );
  if (tracing) {
    console.log(
      `tracing on: ${tracing.spans} spans in ${tracing.requests} OTLP exports ` +
        `(${Math.round(tracing.bytes / 1024)} KiB)`,
    );
  }
  console.log(`results: ${options.out}`);
}

async function main() {
  let options;
  try {
    options = readOptions();
  } catch (error) {
    console.error(`overhead: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) return console.log(HELP);
  const load = preflight(options);
  if (load.error) {
    console.error(`overhead: ${load.error}`);
    process.exitCode = 2;
    return;
  }
  options.loadAtStart = os.loadavg().map((value) => round(value));
  if (options.loadAtStart[0] >= 1) {
    console.error(
      `overhead: the 1-minute load average is already ${options.loadAtStart[0]}: other ` +
        'processes share the cores, so the latency and throughput columns will be disturbed',
    );
  }
  const cells = options.modes.length * options.conns.length * 2;
  const expectedS = cells * (options.duration + options.warmup) + 30;
  console.error(`overhead: ${cells} cells, about ${Math.ceil(expectedS / 60)} min plus the probe`);
  const work = mkdtempSync(path.join(os.tmpdir(), 'rampart-overhead-'));
  await runInWorkFolder({ name: 'overhead', work, keep: options.keep }, async () => {
    report({ options, load, ...(await measure(options, load, work)) });
  });
}

await main();
