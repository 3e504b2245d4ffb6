#!/usr/bin/env node
// The StreamRedactor of two builds over the same generated output (bench/lib/answer-corpus.mjs),
// interleaved reply by reply: A then B on one reply, B then A on the next. On a machine shared
// with other work, whole runs measured back to back differ by more than most changes do; taken
// this way both builds meet the same load, and their ratio holds from round to round.
//
//   node bench/guard-redaction-ab.mjs --a ../other-checkout [--b .] [--only code]
//
// Each directory is a checkout with a build (`npm run build`): its dist/guard/redact is loaded.
import console from 'node:console';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { KINDS, workload } from './lib/answer-corpus.mjs';
import { importBuilt } from './lib/checkout.mjs';

const HELP = `node bench/guard-redaction-ab.mjs --a DIR [options]

  --a DIR          checkout of build A (the baseline)
  --b DIR          checkout of build B (default: this one)
  --megabytes N    size of the generated output (default 4)
  --rounds N       rounds; the first warms up and is not counted (default 6)
  --only KIND      full (default), or prose with only one kind of content kept:
                   prose (none), code (code blocks), numbers, values (sensitive values)
  --value N        with --only values: keep only the Nth kind of value (0 the email, 10
                   the keyed assignment: the order of SPRINKLES in lib/answer-corpus.mjs)
  --seed N         generator seed (default 1)`;

const HERE = path.dirname(fileURLToPath(import.meta.url));

function readOptions() {
  const { values } = parseArgs({
    options: {
      a: { type: 'string' },
      b: { type: 'string', default: path.join(HERE, '..') },
      megabytes: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '6' },
      only: { type: 'string', default: 'full' },
      value: { type: 'string' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (!values.help && (values.a === undefined || !KINDS.includes(values.only)))
    throw new Error(`--a is required and --only is one of ${KINDS.join(', ')}\n\n${HELP}`);
  return {
    help: values.help,
    builds: [values.a, values.b],
    bytes: Number(values.megabytes) * 1024 * 1024,
    rounds: Math.max(2, Number(values.rounds)),
    only: values.only,
    value: values.value === undefined ? undefined : Number(values.value),
    seed: Number(values.seed),
  };
}

function load(checkout) {
  return importBuilt(checkout, 'guard/redact/index.js');
}

let sink = 0;

function stream(api, deltas) {
  const redactor = new api.StreamRedactor();
  const out = [];
  for (const delta of deltas) out.push(redactor.push(delta));
  out.push(redactor.flush());
  sink += out.join('').length;
}

/** Nanoseconds each build spent on all replies in one round. */
function round(apis, replies) {
  const spent = [0n, 0n];
  replies.forEach(({ deltas }, index) => {
    const order = index % 2 === 0 ? [0, 1] : [1, 0];
    for (const which of order) {
      const started = process.hrtime.bigint();
      stream(apis[which], deltas);
      spent[which] += process.hrtime.bigint() - started;
    }
  });
  return spent;
}

async function main() {
  const options = readOptions();
  if (options.help) return console.log(HELP);
  const apis = await Promise.all(options.builds.map(load));
  const { replies, size } = workload(options);
  const totals = [0n, 0n];
  const ratios = [];
  for (let index = 0; index < options.rounds; index++) {
    const [a, b] = round(apis, replies);
    if (index === 0) continue;
    totals[0] += a;
    totals[1] += b;
    ratios.push(Number((Number(a) / Number(b)).toFixed(3)));
  }
  const counted = options.rounds - 1;
  const rate = (ns) => Number((size / (1024 * 1024) / (Number(ns) / 1e9 / counted)).toFixed(1));
  const result = {
    only: options.only,
    ...(options.value === undefined ? {} : { value: options.value }),
    megabytes: Number((size / (1024 * 1024)).toFixed(2)),
    aMBps: rate(totals[0]),
    bMBps: rate(totals[1]),
    speedup: Number((Number(totals[0]) / Number(totals[1])).toFixed(3)),
    speedupPerRound: ratios,
    sink,
  };
  console.log(JSON.stringify(result));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
