#!/usr/bin/env node
// What saving a session turn before a tool with side effects costs: session turns that call one
// tool, the same tool declared `sideEffects: true` (the turn is saved under its lease before the
// call, then committed) and `sideEffects: false` (committed once), alternated in one run against
// the same store. Prints p50 / p99 / mean milliseconds per turn for each, and their ratio. The
// tool answers at once and the simulated model has no delay, so the write is as large a share of
// a turn as it can be. Needs a build (npm run build).
//
//   node bench/session-checkpoint.mjs [--turns 400] [--redis redis://127.0.0.1:6379]
import console from 'node:console';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { fetch } from 'undici';
import { createRampart } from '../dist/app/index.js';

const { values } = parseArgs({
  options: { turns: { type: 'string', default: '400' }, redis: { type: 'string' } },
});
const TURNS = Number(values.turns);

const tool = (name, sideEffects) => ({
  name,
  parameters: { type: 'object' },
  sideEffects,
  handler: async () => ({ booked: true }),
});

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-checkpoint-bench-'));
const rampart = await createRampart({
  config: {
    providers: { simulated: { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 0 } },
    server: { port: 0 },
    log: { level: 'silent' },
    assistants: { default: { model: 'rampart-sim-1', tools: ['saved', 'unsaved'] } },
    authorization: { unlisted: 'allow' },
    limits: { tiers: { standard: { requestsPerMinute: 1_000_000, tokensPerMinute: 1e9 } } },
    ...(values.redis
      ? {
          state: {
            backend: 'redis',
            url: values.redis,
            keyPrefix: `bench-checkpoint-${process.pid}:`,
          },
        }
      : {}),
  },
  env: {},
  overrides: { dataDir },
  tools: [tool('saved', true), tool('unsaved', false)],
});
const url = await rampart.listen();
const { key } = await rampart.keys.create({
  userId: 'bench',
  role: 'user',
  tier: 'standard',
  permissions: [],
});
const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

async function newSession() {
  const response = await fetch(`${url}/v1/sessions`, { method: 'POST', headers, body: '{}' });
  return (await response.json()).id;
}

async function turn(session, name) {
  const started = performance.now();
  const response = await fetch(`${url}/v1/sessions/${session}/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ content: `call ${name} {}` }),
  });
  await response.json();
  if (response.status !== 200) throw new Error(`turn answered ${response.status}`);
  return performance.now() - started;
}

// Each tool gets sessions of its own, so histories grow alike; a new session every 20 turns.
const times = { saved: [], unsaved: [] };
const sessions = { saved: await newSession(), unsaved: await newSession() };
for (let index = 0; index < 40; index++) await turn(sessions.saved, 'saved');
for (let index = 0; index < 40; index++) await turn(sessions.unsaved, 'unsaved');
for (let index = 0; index < TURNS; index++) {
  if (index % 20 === 0) {
    sessions.saved = await newSession();
    sessions.unsaved = await newSession();
  }
  const order = index % 2 === 0 ? ['saved', 'unsaved'] : ['unsaved', 'saved'];
  for (const name of order) times[name].push(await turn(sessions[name], name));
}
await rampart.close();
rmSync(dataDir, { recursive: true, force: true });
if (values.redis) {
  // The run's sessions are left in a Redis that others use: remove them.
  const redis = new Redis(values.redis);
  const keys = await redis.keys(`bench-checkpoint-${process.pid}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
}

const summary = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return { p50: at(0.5), p99: at(0.99), mean };
};
const saved = summary(times.saved);
const unsaved = summary(times.unsaved);
const cell = ({ p50, p99, mean }) => `${p50.toFixed(2)} / ${p99.toFixed(2)} / ${mean.toFixed(2)}`;
console.log(`store: ${values.redis ? 'redis' : 'sqlite'}, ${TURNS} turns each`);
console.log('tool                        p50 / p99 / mean ms per turn');
console.log(`sideEffects: true (saved)   ${cell(saved)}`);
console.log(`sideEffects: false          ${cell(unsaved)}`);
console.log(
  `ratio (saved / not)         ${(saved.p50 / unsaved.p50).toFixed(3)} / ${(saved.p99 / unsaved.p99).toFixed(3)} / ${(saved.mean / unsaved.mean).toFixed(3)}`,
);
