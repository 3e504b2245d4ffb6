#!/usr/bin/env node
// Streaming redaction on hostile output: long runs without a break (digit groups, dotted
// numbers, letters, base64, a password table cell running on) sent a few characters at a time, the shape that made the stream
// re-read what it held on every piece. Prints, per case, the CPU time of the stream, of
// redactText over the same text (the baseline every stream must equal), and the most it held.
// With --a, the same cases run on another checkout's build too, for a before/after.
//
//   node bench/guard-redaction-hostile.mjs [--a ../other-checkout] [--length 40000]
//
// Needs a build (npm run build): dist/guard/redact is loaded.
import console from 'node:console';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { importBuilt } from './lib/checkout.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    length: { type: 'string', default: '40000' },
  },
});
const LENGTH = Number(values.length);

// Each case: the unit repeated to LENGTH characters, sent in pieces of `piece` characters.
const CASES = [
  { name: 'digit groups 4-4-4-', unit: '4-', piece: 1 },
  { name: 'dotted numbers 1.1.1.', unit: '1.', piece: 1 },
  { name: 'dotted numbers 1.1.1.', unit: '1.', piece: 4 },
  { name: 'one letter', unit: 'x', piece: 1 },
  { name: 'base64', unit: 'QUJDRGVm', piece: 4 },
  { name: 'prose words', unit: 'the quick brown fox ', piece: 4 },
  { name: 'credential words secret:', unit: 'secret:', piece: 4 },
  { name: 'credential words password=', unit: 'password=', piece: 4 },
  // A table row whose password cell goes on into a long run: the cell must not hold the run.
  {
    name: 'password cell, then an 8 KB run',
    unit: `| Password | Xk9#fT2q ${'A1b2C3d4e5'.repeat(820)} |\n`,
    piece: 8,
  },
];

function load(checkout) {
  return importBuilt(checkout, 'guard/redact/index.js');
}

function cpuMs(run) {
  const started = process.cpuUsage();
  run();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}

function measure(api, { unit, piece }) {
  const text = unit.repeat(Math.ceil(LENGTH / unit.length)).slice(0, LENGTH);
  let held = 0;
  let output = '';
  const streamMs = cpuMs(() => {
    const redactor = new api.StreamRedactor();
    for (let at = 0; at < text.length; at += piece) {
      output += redactor.push(text.slice(at, at + piece));
      held = Math.max(held, redactor.held);
    }
    output += redactor.flush();
  });
  let expected = '';
  const wholeMs = cpuMs(() => {
    expected = api.redactText(text).text;
  });
  if (output !== expected) throw new Error(`the stream differs from redactText on ${unit}`);
  return { streamMs: Math.round(streamMs), redactTextMs: Math.round(wholeMs), maxHeld: held };
}

const builds = [['this build', await load(path.join(HERE, '..'))]];
if (values.a !== undefined) builds.unshift(['--a build', await load(values.a)]);
const rows = [];
for (const item of CASES) {
  for (const [build, api] of builds) {
    measure(api, { ...item, unit: item.unit }); // warm-up
    rows.push({ case: `${item.name} in ${item.piece}-char pieces`, build, ...measure(api, item) });
  }
}
console.log(`${LENGTH} characters per case, Node ${process.version}`);
console.table(rows);
