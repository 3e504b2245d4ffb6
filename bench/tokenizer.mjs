#!/usr/bin/env node
// What counting a prompt costs: the token counter on a 4 KB chat prompt (a system prompt, a
// few turns, two tool definitions) with the o200k and cl100k encodings and with the calibrated
// estimate, against the plain characters / 4 rule, measured in one run on this machine. Also
// the one-time load of each encoding. Needs a build (npm run build); imports from dist/.
import console from 'node:console';
import { existsSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const HELP = `node bench/tokenizer.mjs [options]

  --iterations N   counts per timed round (default 2000)
  --rounds N       timed rounds per variant; percentiles are over rounds (default 15)
  --seed N         generator seed for the prompt text (default 1)`;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const COST = path.join(HERE, '../dist/cost/index.js');
const CORE = path.join(HERE, '../dist/core/index.js');

function readOptions() {
  const { values } = parseArgs({
    options: {
      iterations: { type: 'string', default: '2000' },
      rounds: { type: 'string', default: '15' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  return {
    help: values.help,
    iterations: Number(values.iterations),
    rounds: Number(values.rounds),
    seed: Number(values.seed),
  };
}

const WORDS = (
  'the a to of and in is that for it with as on be this you are by can or from your have an ' +
  'request response stream server client token model provider session budget cache retry ' +
  'harbour gull boat dawn invoice refund shipment 2026-03-14 42 3.14 ünïcödé 東京 naïve café'
).split(' ');

function text(random, characters) {
  let out = '';
  while (out.length < characters) out += `${WORDS[Math.floor(random() * WORDS.length)]} `;
  return out.slice(0, characters);
}

function generator(seed) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

/** A chat request of about 4096 characters of text. */
function prompt(seed) {
  const random = generator(seed);
  const user = (content) => ({ role: 'user', content: [{ type: 'text', text: content }] });
  const assistant = (content) => ({
    role: 'assistant',
    content: [{ type: 'text', text: content }],
    toolCalls: [],
  });
  const tool = (name) => ({
    name,
    description: text(random, 120),
    parameters: { type: 'object', properties: { query: { type: 'string' } } },
  });
  const tools = [tool('search'), tool('lookup')];
  const toolCharacters = tools.reduce((sum, spec) => sum + JSON.stringify(spec).length, 0);
  const rest = 4096 - toolCharacters;
  return {
    messages: [
      { role: 'system', content: text(random, Math.floor(rest * 0.25)) },
      user(text(random, Math.floor(rest * 0.25))),
      assistant(text(random, Math.floor(rest * 0.25))),
      user(text(random, rest - 3 * Math.floor(rest * 0.25))),
    ],
    tools,
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Microseconds per count: median and p95 over rounds, and the total it counted. */
function measure(count, request, { iterations, rounds }) {
  for (let warm = 0; warm < iterations; warm++) count(request);
  const perCall = [];
  let tokens = 0;
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index++) tokens = count(request);
    perCall.push(Number(process.hrtime.bigint() - start) / 1_000 / iterations);
  }
  perCall.sort((a, b) => a - b);
  return { p50: percentile(perCall, 50), p95: percentile(perCall, 95), tokens };
}

async function main() {
  const options = readOptions();
  if (options.help) return console.log(HELP);
  if (!existsSync(COST)) throw new Error('No build found: run `npm run build` first.');
  const { TokenCounter } = await import(pathToFileURL(COST).href);
  const { estimateInputTokens } = await import(pathToFileURL(CORE).href);
  const request = prompt(options.seed);
  const counter = new TokenCounter();
  const targets = {
    'o200k (gpt-4o)': { provider: 'openai', model: 'gpt-4o', kind: 'openai' },
    'cl100k (gpt-4)': { provider: 'openai', model: 'gpt-4', kind: 'openai' },
    'calibrated estimate (claude)': {
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      kind: 'anthropic',
    },
  };
  const loads = {};
  for (const [name, target] of Object.entries(targets)) {
    const start = process.hrtime.bigint();
    await counter.prepare(target);
    loads[name] = Number(process.hrtime.bigint() - start) / 1e6;
  }
  const baseline = measure(estimateInputTokens, request, options);
  const rows = [['characters / 4 (baseline)', baseline, 0]];
  for (const [name, target] of Object.entries(targets)) {
    const result = measure((value) => counter.countPrompt(target, value), request, options);
    rows.push([name, result, loads[name]]);
  }
  console.log(
    `node ${process.version}, ${options.rounds} rounds of ${options.iterations} counts, 4 KB prompt`,
  );
  console.log(
    'variant                          p50 µs   p95 µs   × baseline   tokens   first load ms',
  );
  for (const [name, result, load] of rows) {
    const ratio = (result.p50 / baseline.p50).toFixed(1);
    console.log(
      `${name.padEnd(32)} ${result.p50.toFixed(2).padStart(7)}  ${result.p95.toFixed(2).padStart(7)}` +
        `   ${ratio.padStart(9)}   ${String(result.tokens).padStart(6)}   ${load.toFixed(1).padStart(13)}`,
    );
  }
}

await main();
