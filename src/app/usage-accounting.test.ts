import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, startTestServer, type TestServer } from './test-support/harness.js';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import type { UsageSummary } from '../store/index.js';

/*
 * The same prompt, streamed and not, asked in the OpenAI and the Anthropic client format, through
 * the real `openai` and `anthropic` provider types pointed at the upstream simulator: every path
 * records the same tokens and the same cost (field cases P19 and P21). Each path runs as its own
 * user so the ledger keeps them apart.
 */

let simulator: UpstreamSimulator;
let server: TestServer;
const timeouts = { connectMs: 1000, firstByteMs: 800, idleMs: 800 };
const price = { input: 2, output: 8 };
const PROMPT = 'Describe the harbour at dawn, with its boats and gulls';
const DAY = 24 * 3_600_000;

beforeAll(async () => {
  simulator = await startUpstreamSimulator({ answerTokens: 12 });
  server = await startTestServer({
    config: {
      providers: {
        upOpenai: { type: 'openai', baseUrl: `${simulator.url}/v1`, apiKey: 'sk', timeouts },
        upAnthropic: { type: 'anthropic', baseUrl: simulator.url, apiKey: 'ak', timeouts },
      },
      models: {
        'via-openai': { provider: 'upOpenai', model: 'rampart-sim-1' },
        'via-anthropic': { provider: 'upAnthropic', model: 'rampart-sim-1' },
      },
      pricing: {
        models: { 'upOpenai/rampart-sim-1': price, 'upAnthropic/rampart-sim-1': price },
        tools: { calculator: 0.001 },
      },
      assistants: { default: { model: 'via-anthropic', tools: ['calculator'] } },
    },
  });
});
afterAll(async () => {
  await server.close();
  await simulator.close();
});

async function client(user: string) {
  return new OpenAI({ baseURL: `${server.url}/v1`, apiKey: await server.key(user), maxRetries: 0 });
}

async function anthropicClient(user: string) {
  return new Anthropic({ baseURL: server.url, apiKey: await server.key(user), maxRetries: 0 });
}

async function rawStream(user: string, model: string, includeUsage: boolean) {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await server.key(user)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model,
      stream: true,
      messages: [{ role: 'user', content: PROMPT }],
      ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
    }),
  });
  const events = await readSse(response);
  expect(events.at(-1)?.data).toBe('[DONE]');
  return events.slice(0, -1).map((event) => JSON.parse(event.data) as Record<string, unknown>);
}

/** The ledger's figures for one user, once the turn (settled after the response) is in. */
async function ledgerFor(user: string): Promise<UsageSummary['totals']> {
  const now = Date.now();
  for (let attempt = 0; attempt < 50; attempt++) {
    const { totals } = await server.rampart.usage.summarize({
      userId: user,
      from: now - DAY,
      to: now + DAY,
    });
    if (totals.turns > 0) return totals;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no usage recorded for ${user}`);
}

describe.each(['via-openai', 'via-anthropic'])('accounting through %s', (model) => {
  it('records the same tokens and cost streamed and not, priced from tokens', async () => {
    const whole = await (
      await client(`${model}-whole`)
    ).chat.completions.create({
      model,
      messages: [{ role: 'user', content: PROMPT }],
    });
    const chunks = await rawStream(`${model}-stream`, model, false);
    const asked = await rawStream(`${model}-asked`, model, true);

    const [wholeLedger, streamLedger, askedLedger] = await Promise.all([
      ledgerFor(`${model}-whole`),
      ledgerFor(`${model}-stream`),
      ledgerFor(`${model}-asked`),
    ]);
    const reported = whole.usage!;
    expect(wholeLedger).toMatchObject({
      turns: 1,
      inputTokens: reported.prompt_tokens,
      outputTokens: 12,
      estimated: false,
    });
    expect(wholeLedger.totalCostNanos).toBe(
      reported.prompt_tokens * 2_000 + reported.completion_tokens * 8_000,
    );
    expect(wholeLedger.totalCostNanos).toBeGreaterThan(0);
    expect(streamLedger).toEqual(wholeLedger);
    expect(askedLedger).toEqual(wholeLedger);

    // P21 (b): a client that did not ask sees no usage and no usage-only chunk.
    expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true);
    expect(chunks.every((chunk) => (chunk.choices as unknown[]).length === 1)).toBe(true);
    // P21 (a): a client that asked gets usage:null on every chunk but one last usage chunk.
    const last = asked.at(-1)!;
    expect(last).toMatchObject({ choices: [], usage: { prompt_tokens: reported.prompt_tokens } });
    expect(asked.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
  });

  it('records the same tokens and cost for an Anthropic-format client, streamed and not', async () => {
    const ask = { model, max_tokens: 100, messages: [{ role: 'user' as const, content: PROMPT }] };
    // The same prompt in the OpenAI format, as the reference.
    await (
      await client(`${model}-messages-reference`)
    ).chat.completions.create({ model, messages: [{ role: 'user', content: PROMPT }] });
    const whole = await (await anthropicClient(`${model}-messages-whole`)).messages.create(ask);
    const streamed = await (
      await anthropicClient(`${model}-messages-stream`)
    ).messages
      .stream(ask)
      .finalMessage();

    const [openaiLedger, wholeLedger, streamLedger] = await Promise.all([
      ledgerFor(`${model}-messages-reference`),
      ledgerFor(`${model}-messages-whole`),
      ledgerFor(`${model}-messages-stream`),
    ]);
    expect(openaiLedger.totalCostNanos).toBeGreaterThan(0);
    expect(wholeLedger).toEqual(openaiLedger);
    expect(streamLedger).toEqual(openaiLedger);
    expect(whole.usage).toMatchObject({
      input_tokens: openaiLedger.inputTokens,
      output_tokens: openaiLedger.outputTokens,
    });
    expect(streamed.usage).toMatchObject({
      input_tokens: openaiLedger.inputTokens,
      output_tokens: openaiLedger.outputTokens,
    });
  });
});

it('asks an OpenAI upstream for usage on every stream, even when the client did not', async () => {
  simulator.reset();
  await rawStream('asks-upstream', 'via-openai', false);
  const [request] = await simulator.waitForRequests(1);
  expect((request!.body as { stream_options?: unknown }).stream_options).toEqual({
    include_usage: true,
  });
});

it('costs both upstream formats the same for the same prompt', async () => {
  const openai = await ledgerFor('via-openai-whole');
  const anthropic = await ledgerFor('via-anthropic-whole');
  expect(anthropic.inputTokens + anthropic.cachedInputTokens).toBe(
    openai.inputTokens + openai.cachedInputTokens,
  );
  expect(anthropic.totalCostNanos).toBe(openai.totalCostNanos);
});

it('records a cut stream with counted tokens, marked estimated, never zero', async () => {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await server.key('cut')}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model: 'via-openai',
      stream: true,
      messages: [{ role: 'user', content: `${PROMPT} [[sim-fault kind=cut-mid-stream after=6]]` }],
    }),
  });
  const events = await readSse(response);
  expect(events.at(-1)?.data).toContain('"error"');
  const totals = await ledgerFor('cut');
  expect(totals).toMatchObject({ turns: 1, estimated: true });
  expect(totals.inputTokens).toBeGreaterThan(10);
  expect(totals.outputTokens).toBeGreaterThan(0);
  expect(totals.totalCostNanos).toBe(totals.inputTokens * 2_000 + totals.outputTokens * 8_000);
});

it('records a session turn once, with its session, both model calls and its tool call', async () => {
  const headers = {
    authorization: `Bearer ${await server.key('sessions')}`,
    'content-type': 'application/json',
  };
  const created = await fetch(`${server.url}/v1/sessions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ assistant: 'default' }),
  });
  const { id } = (await created.json()) as { id: string };
  const turn = await fetch(`${server.url}/v1/sessions/${id}/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ content: 'call calculator {"expression": "6*7"}' }),
  });
  expect(turn.status).toBe(200);
  const totals = await ledgerFor('sessions');
  const now = Date.now();
  const bySession = await server.rampart.usage.summarize({
    userId: 'sessions',
    from: now - DAY,
    to: now + DAY,
    groupBy: 'session',
  });
  expect(bySession.groups).toMatchObject([{ key: id, turns: 1 }]);
  expect(totals).toMatchObject({ turns: 1, toolCalls: 1, toolCostNanos: 1_000_000 });
  const modelCost = totals.inputTokens * 2_000 + totals.outputTokens * 8_000;
  expect(totals.modelCostNanos).toBe(modelCost);
  expect(totals.totalCostNanos).toBe(modelCost + 1_000_000);
  // Two model calls (the tool call, then the answer) on one target: one model line.
  const byModel = await server.rampart.usage.summarize({
    userId: 'sessions',
    from: now - DAY,
    to: now + DAY,
    groupBy: 'model',
  });
  expect(byModel.groups).toMatchObject([{ key: 'upAnthropic/rampart-sim-1', turns: 1 }]);
});
