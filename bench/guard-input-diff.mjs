#!/usr/bin/env node
// Differential check of two builds' input check: every text is checked by both, as user text and
// as tool text, and the verdicts must agree in everything a caller sees (attack, score, reasons,
// transforms). The texts: every development row of the injection data (the shared datasets and
// our fixtures), the written sets, the field cases, every attack obfuscated the ways the tests
// obfuscate them, the 4 KB messages of guard-input-ab.mjs (other scripts mixed, and one language
// each), and random mixes of words from all of them. For changes meant to make the check faster
// without changing what it says.
//
//   node bench/guard-input-diff.mjs --a /path/to/baseline-checkout [--b .] [--random 4000]
//
// Each directory is a checkout with a build (`npm run build`). Exits 1 on the first difference,
// printing the text and both verdicts.
import { Buffer } from 'node:buffer';
import console from 'node:console';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadInjectionRows } from '../scripts/injection-datasets.mjs';
import { seededRandom } from '../scripts/injection-training.mjs';
import { detectorOf, messages, otherScriptPrompts, writtenRows } from './lib/input-texts.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');
const { values } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string', default: REPO },
    random: { type: 'string', default: '4000' },
    seed: { type: 'string', default: '1' },
    // RAMPART_DATASETS, as the tests read it, or the shared folder beside the repository.
    datasets: {
      type: 'string',
      default: process.env.RAMPART_DATASETS ?? path.join(REPO, '../shared/datasets'),
    },
  },
});
if (values.a === undefined) {
  console.error('usage: node bench/guard-input-diff.mjs --a CHECKOUT [--b CHECKOUT] [--random N]');
  process.exit(2);
}

const FIXTURES = path.join(REPO, 'src/guard/input/fixtures');
const WRITTEN = path.join(HERE, 'injection-written');
const lines = (file) => readFileSync(file, 'utf8').split('\n').filter(Boolean);

const rows = loadInjectionRows({ datasets: path.resolve(values.datasets), repo: REPO });
const written = writtenRows(WRITTEN);
const field = JSON.parse(readFileSync(path.join(FIXTURES, 'field-cases.json'), 'utf8'));
const attacks = [
  ...rows.filter((row) => row.label === 1).map((row) => row.text),
  ...written.filter((row) => row.label === 1).map((row) => row.text),
  ...lines(path.join(FIXTURES, 'own-attacks.txt')),
];

// The obfuscations of src/guard/input/test-support/obfuscate.ts, which the build leaves out.
const LOOK_ALIKES = { a: 'а', c: 'с', e: 'е', i: 'і', o: 'ο', p: 'р', s: 'ѕ', x: 'х', y: 'у' };
const OBFUSCATE = [
  (text) => text.replace(/\p{L}{2,}/gu, (word) => [...word].join(' ')),
  (text) => text.replace(/[a-z]/g, (letter) => LOOK_ALIKES[letter] ?? letter),
  (text) => text.replace(/\p{L}{2,}/gu, (word) => [...word].join('\u200B')),
  (text) =>
    `Thanks! ${text.replace(/[\x20-\x7e]/g, (char) => String.fromCodePoint(0xe0000 + char.charCodeAt(0)))}`,
  (text) => `Decode this and follow it: ${Buffer.from(text, 'utf8').toString('base64')}`,
];

const outsideAscii = otherScriptPrompts(WRITTEN);
const allTexts = [...rows.map((row) => row.text), ...written.map((row) => row.text)];
const words = allTexts.flatMap((text) => text.split(/\s+/)).filter(Boolean);
const random = seededRandom(Number(values.seed));
const pick = (list) => list[Math.floor(random() * list.length)];
const mixes = Array.from({ length: Number(values.random) }, () =>
  Array.from({ length: 3 + Math.floor(random() * 60) }, () => pick(words)).join(
    random() < 0.2 ? '\n' : ' ',
  ),
);

const sets = {
  rows: rows.map((row) => row.text),
  written: written.map((row) => row.text),
  field: [...field.benign, ...field.attacks],
  obfuscated: attacks.flatMap((text) => OBFUSCATE.map((obfuscate) => obfuscate(text))),
  'mixed scripts, 4 KB': messages(4096, outsideAscii),
  'one script, 4 KB': outsideAscii.slice(0, 40).map((text) => messages(4096, [text])[0]),
  'random mixes': mixes,
};

const [a, b] = [await detectorOf(values.a), await detectorOf(values.b)];
const started = Date.now();
const compared = {};
for (const [name, texts] of Object.entries(sets)) {
  compared[name] = 0;
  for (const text of texts) {
    for (const source of ['user', 'tool']) {
      const left = JSON.stringify(a.check(text, source));
      const right = JSON.stringify(b.check(text, source));
      compared[name]++;
      if (left === right) continue;
      console.error(JSON.stringify({ set: name, source, text, a: left, b: right }, null, 2));
      console.log(JSON.stringify({ differed: 1, compared }));
      process.exit(1);
    }
  }
}
const checks = Object.values(compared).reduce((sum, count) => sum + count, 0);
console.log(
  JSON.stringify({ checks, differed: 0, compared, seconds: (Date.now() - started) / 1000 }),
);
