#!/usr/bin/env node
// What a route's resilience buys when its upstream fails, measured in one run on this machine:
// Rampart's own upstream simulator is the primary, told through `PUT /__faults` to fail a share
// of its requests, and a second simulator is a spare that never fails. For each failure rate and
// route variant a fresh Rampart takes a fixed closed-loop load of non-streaming completions; a
// baseline cell with a healthy primary is the latency reference. Everything binds 127.0.0.1. See
// docs/benchmarks.md for how to read the output.
import console from 'node:console';
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { childEnvironment } from './lib/bench-servers.mjs';
import { cpuBetween, createCpuMeter } from './lib/cpu-accounting.mjs';
import { describeMachine } from './lib/environment.mjs';
import { driveLoad, fetchExpectedAnswers } from './lib/failover-load.mjs';
import {
  MODEL,
  PRIMARY_TARGET,
  resetSimulator,
  setFaults,
  simulatorStats,
  SPARE_TARGET,
  startRampart,
  startSimulator,
  WARMUP_MODEL,
} from './lib/failover-servers.mjs';
import { renderFailoverMarkdown, summarizeCell } from './lib/failover-summary.mjs';
import {
  DEFAULT_VARIANTS,
  faultRule,
  VARIANT_NOTES,
  VARIANTS,
  variantConfig,
} from './lib/failover-variants.mjs';
import { runInWorkFolder, runningPids } from './lib/processes.mjs';
import { logLines, stopServer } from './lib/state-instances.mjs';

const MEASURED = Object.keys(VARIANTS).filter((name) => name !== 'baseline');

const HELP = `node bench/failover.mjs [options]

Success rate and latency of non-streaming chat completions through Rampart while its upstream
fails a share of requests, for route variants with no resilience, with retries, and with a
fallback to a second, healthy upstream, against a baseline with a healthy upstream. Upstream
attempts per request and the share the fallback served come from the simulators' /__stats.
Needs a build (npm run build); starts its own simulators and Rampart instances on 127.0.0.1.

  --rates LIST         failure rates of the primary (default 0.1,0.5)
  --variants LIST      route variants, in order (default ${DEFAULT_VARIANTS.join(',')}; also
                       retry-breaker: primary only, retries and breakers at their defaults)
  --requests N         requests per cell (default 400)
  --conns N            concurrent connections (default 8)
  --warmup N           requests per cell before the measured ones, to the spare only (default 40)
  --fault status|cut   503 answers (default), or connections cut mid-stream
  --cut-after N        events sent before a cut (default 3)
  --continue-on-failure  set continueOnFailure on the fallback route
  --answer-tokens N    tokens of each answer (default 16)
  --first-token-ms N   the simulators' delay before the first token (default 20)
  --tokens-per-second N  the simulators' streaming rate, 0 = no pacing (default 0)
  --timeout-ms N       give up on one request after this long (default 30000)
  --out FILE           results JSON (default: rampart-failover-<time>.json in the temp folder)
  --keep               keep the temporary folder with the configs and server logs`;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const CLI = path.join(REPO, 'dist/cli/main.js');

// Every cell starts the build afresh: a rebuild during the run would mix two builds in one table.
const builtAt = () => statSync(CLI).mtime.toISOString();

function count(text, name, { min = 1 } = {}) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer >= ${min}`);
  return value;
}

function rates(text) {
  const values = text.split(',').map(Number);
  if (values.some((value) => !Number.isFinite(value) || value <= 0 || value > 1)) {
    throw new Error('--rates takes failure rates above 0 and at most 1, e.g. 0.1,0.5');
  }
  return values;
}

function variants(text) {
  const values = text.split(',');
  const wrong = values.find((value) => !MEASURED.includes(value));
  if (wrong !== undefined) throw new Error(`--variants: unknown ${wrong} (${MEASURED.join(', ')})`);
  return values;
}

function readOptions() {
  const text = (fallback) => ({ type: 'string', default: fallback });
  const { values } = parseArgs({
    options: {
      rates: text('0.1,0.5'),
      variants: text(DEFAULT_VARIANTS.join(',')),
      requests: text('400'),
      conns: text('8'),
      warmup: text('40'),
      fault: text('status'),
      'cut-after': text('3'),
      'continue-on-failure': { type: 'boolean', default: false },
      'answer-tokens': text('16'),
      'first-token-ms': text('20'),
      'tokens-per-second': text('0'),
      'timeout-ms': text('30000'),
      out: { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.fault !== 'status' && values.fault !== 'cut') {
    throw new Error('--fault takes status or cut');
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    help: values.help,
    keep: values.keep,
    rates: rates(values.rates),
    variants: variants(values.variants),
    requests: count(values.requests, 'requests'),
    conns: count(values.conns, 'conns'),
    warmup: count(values.warmup, 'warmup', { min: 0 }),
    fault: values.fault,
    cutAfter: count(values['cut-after'], 'cut-after', { min: 0 }),
    continueOnFailure: values['continue-on-failure'],
    answer: {
      answerTokens: count(values['answer-tokens'], 'answer-tokens'),
      firstTokenMs: count(values['first-token-ms'], 'first-token-ms', { min: 0 }),
      tokensPerSecond: count(values['tokens-per-second'], 'tokens-per-second', { min: 0 }),
    },
    timeoutMs: count(values['timeout-ms'], 'timeout-ms'),
    out: path.resolve(values.out ?? path.join(os.tmpdir(), `rampart-failover-${stamp}.json`)),
  };
}

// The cells in the order they run: the baseline first and again last (to show how much the
// machine drifted over the run), the variants under each failure rate in between.
function plan(options) {
  const cells = [{ variant: 'baseline', label: 'baseline', rate: 0 }];
  for (const rate of options.rates) {
    for (const variant of options.variants) cells.push({ variant, label: variant, rate });
  }
  cells.push({ variant: 'baseline', label: 'baseline (again, last)', rate: 0 });
  return cells;
}

// A request that must succeed before the load, so that a wrong key or route cannot pass for a
// table of fast failures; the warm-up requests go to the spare under a model of their own.
async function prepare(run, rampart) {
  const { options } = run;
  const load = { port: rampart.port, key: rampart.key, conns: 1, expected: run.expected };
  const [check] = await driveLoad({ ...load, model: MODEL, requests: 1, timeoutMs: 10_000 });
  if (!check.ok) throw new Error(`sanity check through Rampart failed: ${check.failure}`);
  if (options.warmup === 0) return;
  const warm = await driveLoad({
    ...load,
    model: WARMUP_MODEL,
    requests: options.warmup,
    conns: options.conns,
    timeoutMs: 10_000,
  });
  const bad = warm.find((record) => !record.ok);
  if (bad) throw new Error(`warm-up through Rampart failed: ${bad.failure}`);
}

async function runCell(run, cell, index) {
  const { options, primary, spare } = run;
  const work = path.join(run.work, `${String(index).padStart(2, '0')}-${cell.variant}`);
  await setFaults(primary, []);
  const config = variantConfig(cell.variant, options);
  const rampart = await startRampart({ ...run, work, ...config });
  try {
    await prepare(run, rampart);
    const rule = cell.rate > 0 ? faultRule({ ...options, rate: cell.rate }) : undefined;
    const faults = await setFaults(primary, rule ? [rule] : []);
    await Promise.all([resetSimulator(primary), resetSimulator(spare)]);
    const before = run.meter.read();
    const records = await driveLoad({
      port: rampart.port,
      key: rampart.key,
      model: MODEL,
      requests: options.requests,
      conns: options.conns,
      expected: run.expected,
      timeoutMs: options.timeoutMs,
    });
    const cpu = cpuBetween(before, run.meter.read());
    const [primaryStats, spareStats] = await Promise.all([
      simulatorStats(primary),
      simulatorStats(spare),
    ]);
    return {
      row: { cell: { ...cell, faults }, records, primary: primaryStats, spare: spareStats, cpu },
      config: rampart.config,
      logFile: rampart.logFile,
    };
  } finally {
    await stopServer(rampart.server);
    await setFaults(primary, []);
  }
}

async function measure(options, work) {
  const env = childEnvironment();
  const cli = CLI;
  const startOne = (name) => startSimulator({ cli, name, work, env, answer: options.answer });
  const [primary, spare] = await Promise.all([startOne('primary'), startOne('spare')]);
  console.error(`primary simulator pid ${primary.server.pid}, spare pid ${spare.server.pid}`);
  const expected = await fetchExpectedAnswers({
    port: spare.port,
    requests: Math.max(options.requests, options.warmup, 1),
    conns: options.conns,
    timeoutMs: options.timeoutMs,
  });
  const meter = createCpuMeter(runningPids);
  const run = { options, work, env, cli, primary, spare, expected, meter };
  const rows = [];
  const cells = plan(options);
  let reference = null;
  for (const [index, cell] of cells.entries()) {
    const label = cell.rate > 0 ? `${cell.label} at ${cell.rate * 100} %` : cell.label;
    console.error(`[${index + 1}/${cells.length}] ${label}`);
    const measured = await runCell(run, cell, index);
    const row = summarizeCell({
      ...measured.row,
      reference,
      logLines: logLines(measured.logFile).length,
    });
    if (reference === null) {
      reference = measured.row.records.filter((record) => record.ok).map((record) => record.ms);
    }
    rows.push({ ...row, config: measured.config });
  }
  return rows;
}

function settingsOf(options) {
  return {
    rates: options.rates,
    variants: options.variants,
    requests: options.requests,
    conns: options.conns,
    warmup: options.warmup,
    fault:
      options.fault === 'cut'
        ? { kind: 'cut', after: options.cutAfter }
        : { kind: 'status', status: 503 },
    continueOnFailure: options.continueOnFailure,
    answer: options.answer,
    timeoutMs: options.timeoutMs,
    targets: { primary: PRIMARY_TARGET, spare: SPARE_TARGET },
    variantNotes: Object.fromEntries(
      ['baseline', ...options.variants].map((name) => [name, VARIANT_NOTES[name]]),
    ),
  };
}

// The one-line result: each cell without its raw counters and config.
function compactRow(row) {
  return {
    variant: row.variant,
    rate: row.rate,
    requests: row.requests,
    ok: row.ok,
    successRate: row.successRate,
    latencyMs: row.latencyMs,
    addedP50Ms: row.addedP50Ms,
    addedP99Ms: row.addedP99Ms,
    failedP50Ms: row.failedLatencyMs.p50,
    attemptsPerRequest: row.attemptsPerRequest,
    fallbackShare: row.fallbackShare,
    failures: row.failures,
  };
}

function report(options, rows, startedAt) {
  const markdown = renderFailoverMarkdown(rows);
  const machine = {
    ...describeMachine({ repoRoot: REPO, tool: 'node http (closed loop)' }),
    distBuiltAtStart: options.distBuiltAtStart,
    loadAverage: {
      atStart: options.loadAtStart,
      atEnd: os.loadavg().map((v) => Number(v.toFixed(2))),
    },
  };
  const settings = settingsOf(options);
  const document = { measuredAt: startedAt, machine, settings, rows, markdown };
  writeFileSync(options.out, `${JSON.stringify(document, null, 2)}\n`);
  console.log(markdown);
  for (const [name, note] of Object.entries(settings.variantNotes))
    console.log(`- ${name}: ${note}`);
  console.log(
    `\nmachine: ${machine.cores} cores, ${machine.cpuModel}, node ${machine.node}; ` +
      `load average ${machine.loadAverage.atStart.join(' ')} at start, ` +
      `${machine.loadAverage.atEnd.join(' ')} at end`,
  );
  const differ = machine.sourcesDiffer ? ', src/ differs from it' : '';
  console.log(`build: commit ${machine.commit}${differ}; dist built ${machine.distBuiltAt}`);
  if (machine.distBuiltAt !== options.distBuiltAtStart) {
    console.log(
      `WARNING: dist/ was rebuilt during the run (at start: ${options.distBuiltAtStart})`,
    );
  }
  console.error(`results: ${options.out}`);
  console.log(
    JSON.stringify({
      measuredAt: startedAt,
      settings,
      rows: rows.map(compactRow),
      out: options.out,
    }),
  );
}

async function main() {
  let options;
  try {
    options = readOptions();
  } catch (error) {
    console.error(`failover: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    process.exitCode = 2;
    return;
  }
  if (options.help) return console.log(HELP);
  if (!existsSync(CLI)) {
    console.error('failover: dist/cli/main.js is missing: run `npm run build` first.');
    process.exitCode = 2;
    return;
  }
  options.distBuiltAtStart = builtAt();
  options.loadAtStart = os.loadavg().map((value) => Number(value.toFixed(2)));
  const work = mkdtempSync(path.join(os.tmpdir(), 'rampart-failover-'));
  await runInWorkFolder({ name: 'failover', work, keep: options.keep }, async () => {
    const startedAt = new Date().toISOString();
    report(options, await measure(options, work), startedAt);
  });
}

await main();
