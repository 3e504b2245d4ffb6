#!/usr/bin/env node
// Writes the prompt-injection development evaluation files from the shared datasets and our
// own fixtures, for `evalInjection` and bench/guard-input.mjs:
//
//   bench/data/injection-dev.jsonl      every row; `trained: true` marks the rows the shipped
//                                       classifier was fitted on, so numbers over the whole
//                                       file include training data
//   bench/data/injection-heldout.jsonl  only the test split and the held-out sources: rows
//                                       neither trained nor tuned on
//
// Rows are { text, label, source, set, split, trained }. The split is the same one
// train-injection-classifier.mjs uses (see injection-datasets.mjs).
//
//   node scripts/build-guard-eval-sets.mjs [--datasets DIR] [--out DIR]
import console from 'node:console';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadInjectionRows } from './injection-datasets.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    datasets: { type: 'string', default: path.join(REPO, '../shared/datasets') },
    out: { type: 'string', default: path.join(REPO, 'bench/data') },
  },
});

function writeJsonLines(file, rows) {
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  const attacks = rows.filter((row) => row.label === 1).length;
  console.log(`${path.relative(REPO, file)}: ${rows.length} rows, ${attacks} attacks`);
}

const rows = loadInjectionRows({ datasets: path.resolve(values.datasets), repo: REPO }).map(
  ({ text, label, source, set, split }) => ({
    text,
    label,
    source,
    set,
    split,
    trained: split === 'train',
  }),
);
mkdirSync(values.out, { recursive: true });
writeJsonLines(path.join(values.out, 'injection-dev.jsonl'), rows);
writeJsonLines(
  path.join(values.out, 'injection-heldout.jsonl'),
  rows.filter((row) => row.split === 'test' || row.split === 'heldout-source'),
);
