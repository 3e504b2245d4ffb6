#!/usr/bin/env node
// What one settled turn costs the metrics sink, the stats rollup and the conversation tracker, in
// a loop: the per-turn work of `observe.metrics` and `observe.stats` without the rest of a request
// around it and without the stats store's flushes (about a tenth of
// its cost in a server, where caches are cold; bench/observe-overhead.mjs measures that). Turns
// are stateless, one user message each, 50 users, with a model call, usage and cost.
//
//   node bench/telemetry-turn.mjs [--a ../other-checkout] [--rounds 5]
//
// With --a, the other checkout's build runs the same turns in alternate rounds. Needs a build.
import console from 'node:console';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: { a: { type: 'string' }, rounds: { type: 'string', default: '5' } },
});

async function load(checkout) {
  const at = (file) => import(pathToFileURL(path.resolve(checkout, 'dist', file)).href);
  const [{ Telemetry }, { createMetricSet }, { metricsSink }, { ConversationTracker }] =
    await Promise.all([
      at('observe/telemetry.js'),
      at('observe/metrics/metric-set.js'),
      at('observe/metrics/metrics-sink.js'),
      at('observe/conversations/conversation-tracker.js'),
    ]);
  const [{ createTurn }, { createLogger }, { StatsSink }] = await Promise.all([
    at('runtime/turn.js'),
    at('core/logger.js'),
    at('observe/stats/stats-sink.js'),
  ]);
  const metrics = createMetricSet({ defaultMetrics: false });
  const telemetry = new Telemetry({ now: () => 0 });
  const logger = createLogger({ level: 'silent' });
  telemetry.subscribe(metricsSink(metrics));
  // Never flushed here: the store is not called, and the loop's one minute takes every turn.
  const store = {
    add: () => Promise.reject(new Error('not flushed in this bench')),
  };
  telemetry.subscribe(
    new StatsSink({
      store,
      instance: 'bench',
      retentionMs: 3_600_000,
      maxPendingMinutes: 10,
      now: () => 0,
      logger,
    }),
  );
  const tracker = new ConversationTracker({ telemetry, idleMs: 60_000, maxConversations: 10_000 });
  const turns = Array.from({ length: 1000 }, (_, index) => {
    const principal = { userId: `u${index % 50}`, role: 'user', tier: 'standard', permissions: [] };
    const content = [{ type: 'text', text: `Say hello in one short sentence, number ${index}.` }];
    const turn = createTurn(
      {
        requestId: 'r',
        principal: { ...principal, keyId: 'k' },
        modelName: 'chat',
        messages: [{ role: 'user', content }],
        options: {},
        signal: new globalThis.AbortController().signal,
      },
      logger,
    );
    const usage = { inputTokens: 12, outputTokens: 9 };
    turn.route = { name: 'chat' };
    turn.modelCalls.push({
      provider: 'sim',
      model: 'rampart-sim-1',
      attempt: 1,
      outcome: 'ok',
      continuation: false,
      durationMs: 4 + (index % 7),
      timeToFirstEventMs: 2,
      usage,
      errorCode: undefined,
    });
    turn.modelUsage.push({
      target: 'sim/rampart-sim-1',
      provider: 'sim',
      model: 'rampart-sim-1',
      usage,
    });
    turn.servedBy = { provider: {}, model: 'rampart-sim-1', id: 'sim/rampart-sim-1' };
    const byTarget = { 'sim/rampart-sim-1': 3000 };
    turn.cost = { model: 3000, tools: 0, memory: 0, total: 3000, byTarget, unpriced: [] };
    turn.finishReason = 'stop';
    return turn;
  });
  return () => {
    const started = process.hrtime.bigint();
    for (let repeat = 0; repeat < 200; repeat++) {
      for (const turn of turns) {
        const retry = tracker.record(turn, 0);
        telemetry.emit({ type: 'turn', at: 0, durationMs: 5, turn, streamed: false, retry });
      }
    }
    return Number(process.hrtime.bigint() - started) / 1000 / (200 * turns.length);
  };
}

const builds = [['this build', await load(path.join(HERE, '..'))]];
if (values.a !== undefined) builds.unshift(['--a build', await load(values.a)]);
for (const [, round] of builds) round(); // warm-up
const results = new Map(builds.map(([name]) => [name, []]));
for (let index = 0; index < Number(values.rounds); index++) {
  for (const [name, round] of builds) results.get(name).push(round());
}
const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
for (const [name, list] of results) {
  console.log(
    `${name}: median ${median(list).toFixed(2)} µs per turn (${list.map((v) => v.toFixed(2)).join(', ')})`,
  );
}
