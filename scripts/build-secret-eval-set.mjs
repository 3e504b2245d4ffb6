#!/usr/bin/env node
// Writes the secret-detection development set, bench/data/secrets-dev.jsonl ({ text, label } per
// line), from the Nosey Parker rule examples (one JSON object per line with text, label and
// rule_name). A negative example is a near miss for one rule only; when the very same text is
// also a positive example of another rule, it holds a secret after all, so it is left out rather
// than scored as a false positive.
import console from 'node:console';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..');

const { values } = parseArgs({
  options: {
    input: {
      type: 'string',
      default: path.join(REPO, '../shared/datasets/noseyparker-secrets/examples.jsonl'),
    },
    output: { type: 'string', default: path.join(REPO, 'bench/data/secrets-dev.jsonl') },
  },
});

function readRows(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

function buildSet(rows) {
  const positives = new Set(rows.filter((row) => row.label === 1).map((row) => row.text));
  const seen = new Set();
  const kept = [];
  let dropped = 0;
  for (const row of rows) {
    const label = row.label === 1 ? 1 : 0;
    if (label === 0 && positives.has(row.text)) {
      dropped++;
      continue;
    }
    const key = `${label}\u0000${row.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push({ text: row.text, label });
  }
  return { kept, dropped };
}

const { kept, dropped } = buildSet(readRows(values.input));
mkdirSync(path.dirname(values.output), { recursive: true });
writeFileSync(values.output, kept.map((row) => JSON.stringify(row)).join('\n') + '\n');
const positives = kept.filter((row) => row.label === 1).length;
console.log(
  `${values.output}: ${kept.length} rows (${positives} secrets, ${kept.length - positives} near misses); ` +
    `${dropped} near misses left out because the same text is another rule's secret`,
);
process.exitCode = 0;
