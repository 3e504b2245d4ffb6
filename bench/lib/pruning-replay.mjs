// Replays LoCoMo conversations as session turns through a real Rampart, recording what each model
// request carried after pruning. Used by bench/pruning.mjs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** LoCoMo's sessions of one sample, in order, each with its date and turns. */
export function sessionsOf(sample) {
  const conversation = sample.conversation;
  const numbers = Object.keys(conversation)
    .map((key) => /^session_(\d+)$/.exec(key)?.[1])
    .filter((value) => value !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  return numbers.map((number) => ({
    date: conversation[`session_${number}_date_time`] ?? '',
    turns: conversation[`session_${number}`] ?? [],
  }));
}

/** The user messages of one sample: each LoCoMo turn, the session's date before its first. */
export function messagesOf(sample) {
  const messages = [];
  for (const session of sessionsOf(sample)) {
    session.turns.forEach((turn, index) => {
      const image = turn.blip_caption ? ` [shared image: ${turn.blip_caption}]` : '';
      const date = index === 0 && session.date ? `(${session.date}) ` : '';
      messages.push({ id: turn.dia_id, text: `${date}${turn.speaker}: ${turn.text}${image}` });
    });
  }
  return messages;
}

export function loadSamples(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * A Rampart with the simulated model as `main` (its window `window`) and a second simulated
 * provider as the cheap summary model, plus a last stage that sees every request as sent.
 */
export async function startReplayServer({ dist, pruning, window, answerTokens }) {
  const { createRampart } = await import(path.join(dist, 'index.js'));
  const { countTokens, SUMMARY_STATE_KEY } = await import(path.join(dist, 'cost', 'index.js'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'rampart-pruning-bench-'));
  const calls = [];
  const summaries = new Map();
  // Only the latest request of each session is kept whole: all of them would take gigabytes.
  const lastRequests = new Map();
  const observer = {
    name: 'bench-observer',
    shapeRequest(turn, request) {
      calls.push({ session: turn.input.sessionId, tokens: countTokens(request) });
      lastRequests.set(turn.input.sessionId, request);
      return request;
    },
    settle(turn) {
      const stored = turn.statePatch[SUMMARY_STATE_KEY];
      if (stored) summaries.set(turn.input.sessionId, stored);
      for (const fact of turn.modelUsage) {
        if (fact.provider !== 'cheap') continue;
        calls.push({ session: turn.input.sessionId, summary: true, usage: fact.usage });
      }
    },
  };
  const simulated = { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 0, answerTokens };
  const rampart = await createRampart({
    config: {
      server: { port: 0 },
      log: { level: 'warn' },
      providers: { sim: simulated, cheap: { ...simulated, answerTokens: 200 } },
      models: {
        main: { provider: 'sim', model: 'rampart-sim-1', contextWindow: window },
        cheap: { provider: 'cheap', model: 'rampart-sim-mini' },
      },
      assistants: { default: { model: 'main', tools: [] } },
      pruning: { ...pruning, summaryModel: 'cheap' },
      // Everyday chat that the injection check sometimes flags: this bench measures context size.
      guard: { input: { user: 'off' } },
    },
    env: {},
    overrides: { dataDir },
    stages: [observer],
  });
  const url = await rampart.listen();
  const created = await rampart.keys.create({
    userId: 'bench',
    role: 'user',
    tier: 'standard',
    permissions: [],
  });
  return {
    url,
    key: created.key,
    calls,
    summaries,
    lastRequests,
    async close() {
      await rampart.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function post(server, pathname, body) {
  const response = await globalThis.fetch(`${server.url}${pathname}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = await response.json();
  if (!response.ok) throw new Error(`${pathname}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** Plays one sample's messages as the turns of a new session; returns the session id. */
export async function replaySample(server, messages) {
  const { id } = await post(server, '/v1/sessions', {});
  for (const message of messages) {
    await post(server, `/v1/sessions/${id}/messages`, { content: message.text });
  }
  return id;
}
