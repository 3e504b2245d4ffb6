#!/usr/bin/env node
// Throughput and first-token delay of output redaction, measured in one run on this machine:
// the StreamRedactor over ~10 MB of generated model output cut into 4-40 character deltas,
// against a pass-through baseline (collecting the same deltas) and the non-streaming
// redactText over the whole text. Needs a build (npm run build); imports from dist/.
import console from 'node:console';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { KINDS, workload } from './lib/answer-corpus.mjs';

const HELP = `node bench/guard-redaction.mjs [options]

  --megabytes N    size of the generated output (default 10)
  --rounds N       timed rounds per variant; the best round is reported (default 5)
  --replies N      reply openings sampled for the first-token figures (default 2000)
  --seed N         generator seed (default 1)
  --only KIND      full (default), or prose with one kind of content kept: prose (none),
                   code, numbers, values (see guard-redaction-ab.mjs)`;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ENTRY = path.join(HERE, '../dist/guard/redact/index.js');

function readOptions() {
  const { values } = parseArgs({
    options: {
      megabytes: { type: 'string', default: '10' },
      rounds: { type: 'string', default: '5' },
      replies: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      only: { type: 'string', default: 'full' },
      help: { type: 'boolean', default: false },
    },
  });
  return {
    help: values.help,
    bytes: Number(values.megabytes) * 1024 * 1024,
    rounds: Number(values.rounds),
    replies: Number(values.replies),
    seed: Number(values.seed),
    only: values.only,
  };
}

function best(rounds, run) {
  let fastest = Infinity;
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return fastest;
}

function percentiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) };
}

function throughput({ replies, size }, rounds, api) {
  let sink = 0;
  const passThrough = best(rounds, () => {
    for (const { deltas } of replies) sink += deltas.join('').length;
  });
  const streaming = best(rounds, () => {
    for (const { deltas } of replies) {
      const redactor = new api.StreamRedactor();
      const out = [];
      for (const delta of deltas) out.push(redactor.push(delta));
      out.push(redactor.flush());
      sink += out.join('').length;
    }
  });
  const whole = best(rounds, () => {
    for (const { text } of replies) sink += api.redactText(text).text.length;
  });
  const megabytes = size / (1024 * 1024);
  return { megabytes, passThrough, streaming, whole, sink };
}

function checkSameOutput({ replies }, api) {
  for (const { text, deltas } of replies.slice(0, 200)) {
    const redactor = new api.StreamRedactor();
    const streamed = deltas.map((delta) => redactor.push(delta)).join('') + redactor.flush();
    if (streamed !== api.redactText(text).text)
      throw new Error('streamed output differs from redactText');
  }
}

/** For each reply: characters held after its first delta, that push's time, deltas until output. */
function firstToken({ replies }, count, api) {
  const held = [];
  const micros = [];
  const deltasUntilOutput = [];
  for (const { deltas } of replies.slice(0, count)) {
    const redactor = new api.StreamRedactor();
    const started = process.hrtime.bigint();
    const first = redactor.push(deltas[0]);
    micros.push(Number(process.hrtime.bigint() - started) / 1000);
    held.push(redactor.held);
    let pushes = 1;
    let released = first;
    while (released === '' && pushes < deltas.length) released = redactor.push(deltas[pushes++]);
    deltasUntilOutput.push(released === '' ? deltas.length + 1 : pushes);
  }
  return {
    held: percentiles(held),
    micros: percentiles(micros),
    deltasUntilOutput: percentiles(deltasUntilOutput),
  };
}

async function main() {
  const options = readOptions();
  if (options.help) return console.log(HELP);
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run \`npm run build\` first.`);
  const api = await import(pathToFileURL(ENTRY).href);
  if (!KINDS.includes(options.only)) throw new Error(`--only is one of ${KINDS.join(', ')}`);
  const data = workload(options);
  checkSameOutput(data, api);
  const speed = throughput(data, options.rounds, api);
  const rate = (seconds) => Number((speed.megabytes / seconds).toFixed(1));
  const result = {
    only: options.only,
    megabytes: Number(speed.megabytes.toFixed(2)),
    replies: data.replies.length,
    passThroughMBps: rate(speed.passThrough),
    streamMBps: rate(speed.streaming),
    redactTextMBps: rate(speed.whole),
    streamVsRedactText: Number((speed.whole / speed.streaming).toFixed(2)),
    firstToken: firstToken(data, options.replies, api),
  };
  console.log(JSON.stringify(result, null, 2));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
