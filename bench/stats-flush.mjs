#!/usr/bin/env node
// What a stats flush and a window read cost the embedded store, with the bucket layout Rampart
// uses (`SIGNIFICANT_DIGITS` in src/observe/stats/precision.ts) against HdrHistogram at 3
// significant digits, in the same run: one busy instance's 10 s of model calls (two duration
// series), written to a fresh SQLite file through `SqliteStatsStore` and read back as a window.
// Needs a build (npm run build).
//
//   node bench/stats-flush.mjs [--calls 4900] [--flushes 8] [--minutes 15]
import console from 'node:console';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import hdr from 'hdr-histogram-js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const dist = (file) => import(pathToFileURL(path.join(HERE, '..', 'dist', file)).href);
const { openSqliteStore } = await dist('store/sqlite/index.js');
const { bucketOf, SIGNIFICANT_DIGITS } = await dist('observe/stats/precision.js');

const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '4900' },
    flushes: { type: 'string', default: '8' },
    minutes: { type: 'string', default: '15' },
  },
});
const calls = Number(values.calls);
const flushes = Number(values.flushes);
const minutes = Number(values.minutes);

/** Model call durations (µs) around 2 ms, spread over about two octaves, fixed by a seed. */
function durations(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: calls }, () => Math.round(2_000 * Math.exp(next() * 2 - 1)));
}

function write(bucket, id, minute, seed) {
  const buckets = new Map();
  for (const [index, series] of ['m:bench/model:duration', 'm:bench/model:ttft'].entries()) {
    const counts = new Map();
    for (const micros of durations(seed + index)) {
      const key = bucket(micros);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    buckets.set(series, counts);
  }
  const counters = new Map([['turns', calls]]);
  return { id, instance: 'bench', minute, counters, maxima: new Map(), buckets };
}

async function measure(name, bucket) {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'rampart-stats-flush-'));
  const store = openSqliteStore({ path: path.join(folder, 'rampart.db') });
  const now = Date.now();
  const last = now - (now % 60_000);
  const flushMs = [];
  let rows = 0;
  try {
    for (let minute = 0; minute < minutes; minute++) {
      for (let flush = 0; flush < flushes; flush++) {
        const data = write(bucket, `w${minute}-${flush}`, last - minute * 60_000, flush);
        rows = [...data.buckets.values()].reduce((sum, counts) => sum + counts.size, 0);
        const started = process.hrtime.bigint();
        await store.stats.add(data);
        flushMs.push(Number(process.hrtime.bigint() - started) / 1e6);
      }
    }
    const started = process.hrtime.bigint();
    const read = await store.stats.read(last - (minutes - 1) * 60_000, last + 60_000);
    const readMs = Number(process.hrtime.bigint() - started) / 1e6;
    const sorted = [...flushMs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    return { name, rows, median, perCall: (median * 1_000) / calls, readMs, minutes: read.length };
  } finally {
    store.close();
    rmSync(folder, { recursive: true, force: true });
  }
}

const layout3 = new hdr.Int32Histogram(1, 2, 3);
const results = [
  await measure('3 significant digits', (micros) => layout3.lowestEquivalentValue(micros)),
  await measure(`Rampart (${SIGNIFICANT_DIGITS} significant digits)`, bucketOf),
];
console.log(`${calls} model calls per flush, two series; ${minutes} minutes of ${flushes} flushes`);
console.log('| layout | bucket rows per flush | flush median ms | µs per call | window read ms |');
console.log('| ------ | ---- | ---- | ---- | ---- |');
for (const row of results) {
  console.log(
    `| ${row.name} | ${row.rows} | ${row.median.toFixed(2)} | ${row.perCall.toFixed(2)} | ` +
      `${row.readMs.toFixed(1)} (${row.minutes} minutes) |`,
  );
}
