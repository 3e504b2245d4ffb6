#!/usr/bin/env node
// Tokens sent per turn with and without context pruning, on the LoCoMo conversations replayed as
// session turns through a real Rampart with the simulated provider. See docs/benchmarks.md.
import console from 'node:console';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadSamples, messagesOf, replaySample, startReplayServer } from './lib/pruning-replay.mjs';

const HELP = `node bench/pruning.mjs --dataset PATH [options]

Replays each LoCoMo conversation (locomo10.json) as the turns of one session, once with pruning
off and once on, through a Rampart on 127.0.0.1 with the simulated provider as the assistant's
model and a second simulated provider as the summary model. Prints the tokens each model request
carried (mean, p50, p95, max), the saving, requests over the window, summary calls, and how many
names, dates and numbers of the folded turns the stored summary kept. Needs a build (npm run build).

  --dataset PATH        locomo10.json (required; it is not part of the repository)
  --conversations N     replay only the first N conversations (default all)
  --window N            the assistant model's context window in tokens (default 32768)
  --answer-tokens N     length of each simulated answer (default 30)
`;

const { values } = parseArgs({
  options: {
    dataset: { type: 'string' },
    conversations: { type: 'string' },
    window: { type: 'string', default: '32768' },
    'answer-tokens': { type: 'string', default: '30' },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || !values.dataset) {
  console.log(HELP);
  process.exit(values.help ? 0 : 64);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const window = Number(values.window);
const answerTokens = Number(values['answer-tokens']);
const samples = loadSamples(values.dataset).slice(0, Number(values.conversations ?? Infinity));
const RESERVE = 4_096;

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function stats(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    n: sorted.length,
    total,
    mean: sorted.length === 0 ? 0 : total / sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1) ?? 0,
  };
}

async function run(mode) {
  const pruning = { enabled: mode === 'on', outputReserveTokens: RESERVE };
  const server = await startReplayServer({ dist, pruning, window, answerTokens });
  const sessions = [];
  try {
    for (const sample of samples) {
      const messages = messagesOf(sample);
      const id = await replaySample(server, messages);
      sessions.push({ id, sample, messages });
      process.stderr.write(`  ${mode}: ${sample.sample_id} (${messages.length} turns)\n`);
    }
  } finally {
    await server.close();
  }
  return {
    calls: server.calls,
    summaries: server.summaries,
    lastRequests: server.lastRequests,
    sessions,
  };
}

const KIND_OF = { n: 'name', d: 'date', u: 'number' };

/** The text of the last request the assistant's model received in a session. */
function lastRequestText(result, session) {
  const last = result.lastRequests.get(session);
  return last ? JSON.stringify(last.messages) : '';
}

/**
 * Of the distinct names, dates and numbers the same rules find in the folded turns: how many the
 * stored summary holds, and how many the last request still carried. Of the LoCoMo answers
 * (single-hop and temporal) written word for word in a folded turn: how many the last request
 * carried.
 */
async function factRecall(result) {
  const { factsOfTexts } = await import(path.join(dist, 'cost', 'index.js'));
  const tally = { found: 0, stored: 0, sent: 0, answers: 0, answersSent: 0 };
  for (const session of result.sessions) {
    const summary = result.summaries.get(session.id);
    if (!summary) continue;
    // The history alternates user and assistant messages: user turn k is at index 2k.
    const folded = session.messages.slice(0, Math.ceil(summary.covered / 2));
    const facts = new Map();
    for (const found of factsOfTexts(
      folded.map((message) => message.text),
      new Set(),
    )) {
      for (const fact of found) facts.set(`${fact.kind}:${fact.value}`, fact.value);
    }
    const stored = new Set(summary.facts.map(([code, value]) => `${KIND_OF[code]}:${value}`));
    const sent = lastRequestText(result, session.id);
    tally.found += facts.size;
    for (const [key, value] of facts) {
      if (stored.has(key)) tally.stored++;
      if (sent.includes(JSON.stringify(value).slice(1, -1))) tally.sent++;
    }
    const foldedIds = new Set(folded.map((message) => message.id));
    const textOf = new Map(session.messages.map((message) => [message.id, message.text]));
    for (const qa of session.sample.qa) {
      if (![2, 4].includes(qa.category) || qa.answer === undefined) continue;
      const answer = String(qa.answer);
      const evidence = qa.evidence ?? [];
      const inFolded = evidence.some((id) => foldedIds.has(id) && textOf.get(id)?.includes(answer));
      if (!inFolded) continue;
      tally.answers++;
      if (sent.includes(JSON.stringify(answer).slice(1, -1))) tally.answersSent++;
    }
  }
  return tally;
}

function report(off, on, recall) {
  const limit = window - RESERVE;
  const sent = (result) => result.calls.filter((call) => !call.summary).map((call) => call.tokens);
  const summaryCalls = on.calls.filter((call) => call.summary);
  const summaryTokens = summaryCalls.reduce(
    (sum, c) => sum + c.usage.inputTokens + c.usage.outputTokens,
    0,
  );
  const rows = [
    [
      'pruning off',
      stats(sent(off)),
      sent(off).filter((t) => t > window).length,
      sent(off).filter((t) => t > limit).length,
    ],
    [
      'pruning on',
      stats(sent(on)),
      sent(on).filter((t) => t > window).length,
      sent(on).filter((t) => t > limit).length,
    ],
  ];
  const turns = rows[0][1].n;
  console.log(
    `\nLoCoMo: ${samples.length} conversations, ${turns} session turns each way; window ${window} tokens (${limit} after the output reserve)\n`,
  );
  console.log(
    '| | requests | mean | p50 | p95 | max | total | over window | over window - reserve |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [name, s, over, overLimit] of rows) {
    console.log(
      `| ${name} | ${s.n} | ${s.mean.toFixed(0)} | ${s.p50} | ${s.p95} | ${s.max} | ${s.total} | ${over} | ${overLimit} |`,
    );
  }
  const saved = 1 - rows[1][1].total / rows[0][1].total;
  const net = 1 - (rows[1][1].total + summaryTokens) / rows[0][1].total;
  console.log(`\nsaving in tokens sent to the assistant's model: ${(saved * 100).toFixed(1)} %`);
  console.log(
    `summary calls: ${summaryCalls.length} (${(summaryCalls.length / turns).toFixed(3)} per turn), ${summaryTokens} tokens in and out`,
  );
  console.log(`saving net of the summary calls (all tokens alike): ${(net * 100).toFixed(1)} %`);
  const share = (part) =>
    `${part} of ${recall.found} (${((part / Math.max(1, recall.found)) * 100).toFixed(1)} %)`;
  console.log(`distinct names, dates and numbers in folded turns: ${recall.found}`);
  console.log(`  held by the stored summary: ${share(recall.stored)}`);
  console.log(`  carried by the last request: ${share(recall.sent)}`);
  const answerShare = ((recall.answersSent / Math.max(1, recall.answers)) * 100).toFixed(1);
  console.log(
    `LoCoMo answers (single-hop, temporal) written in a folded turn, in the last request: ` +
      `${recall.answersSent} of ${recall.answers} (${answerShare} %)`,
  );
}

const off = await run('off');
const on = await run('on');
report(off, on, await factRecall(on));
