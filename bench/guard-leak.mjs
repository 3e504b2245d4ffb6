#!/usr/bin/env node
// Cost of the streaming leak monitor per delta, against passing the same deltas straight through,
// measured in one run on this machine. Needs a build (npm run build): it imports from dist/.
//
//   node bench/guard-leak.mjs [--kilobytes 512] [--delta 16] [--rounds 5]
import console from 'node:console';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { LeakMonitor } from '../dist/guard/leak/index.js';

const { values } = parseArgs({
  options: {
    kilobytes: { type: 'string', default: '512' },
    delta: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '5' },
  },
});

const SYSTEM =
  'You are the support assistant for Larkspur Home Insurance. Help policyholders with coverage, ' +
  'premiums and claims. Never quote a premium without the policy number. Storm damage claims ' +
  'must be filed within 45 days with photos. Escalate fraud or legal action to the claims ' +
  'supervisor. Keep answers under 100 words. Do not discuss competitors or give legal advice.';

const SENTENCES = [
  'Your policy covers storm damage to the roof and fences.',
  'Please upload photos of the damage in the app under Claims.',
  'A claims handler will call you within two working days.',
  'The premium for next year depends on the claims history of the property.',
  'If anything else comes up, just reply here and we will take a look.',
];

function answer(bytes) {
  let text = '';
  for (let index = 0; text.length < bytes; index++) {
    text += `${SENTENCES[index % SENTENCES.length]} `;
  }
  return text;
}

function deltasOf(text, size) {
  const deltas = [];
  for (let index = 0; index < text.length; index += size)
    deltas.push(text.slice(index, index + size));
  return deltas;
}

function passThrough(deltas) {
  let released = 0;
  for (const delta of deltas) released += delta.length;
  return released;
}

function monitored(deltas) {
  const monitor = new LeakMonitor(SYSTEM, { canary: 'rk-canary-abcdefghijkl' });
  let released = 0;
  for (const delta of deltas) released += monitor.push(delta).release.length;
  return released + monitor.flush().release.length;
}

function time(run, deltas) {
  const started = process.hrtime.bigint();
  const released = run(deltas);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { released, seconds };
}

function best(run, deltas, rounds) {
  let fastest = Infinity;
  for (let round = 0; round < rounds; round++) {
    const { released, seconds } = time(run, deltas);
    if (released !== passThrough(deltas)) throw new Error('the monitor held back or lost text');
    fastest = Math.min(fastest, seconds);
  }
  return fastest;
}

const text = answer(Number(values.kilobytes) * 1024);
const deltas = deltasOf(text, Number(values.delta));
const rounds = Number(values.rounds);
const baseline = best(passThrough, deltas, rounds);
const guarded = best(monitored, deltas, rounds);
const megabytes = text.length / 1e6;
console.log(
  JSON.stringify({
    bytes: text.length,
    deltas: deltas.length,
    delta_chars: Number(values.delta),
    monitor_mb_per_s: Math.round((megabytes / guarded) * 10) / 10,
    monitor_us_per_delta: Math.round((guarded / deltas.length) * 1e6 * 100) / 100,
    pass_through_us_per_delta: Math.round((baseline / deltas.length) * 1e6 * 1000) / 1000,
    monitor_over_pass_through: Math.round(guarded / baseline),
  }),
);
