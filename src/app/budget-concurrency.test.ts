import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { budgetSchema } from '../config/budget-schema.js';
import type { ConfigInput } from '../config/index.js';
import { capCounters } from '../cost/index.js';
import { openRedisState, type RedisState } from '../store/index.js';
import { describeWithRedis } from '../store/test-support/services.js';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { deleteKeys } from '../store/redis/test-support/redis-harness.js';
import { readSse, startTestServer, type TestServer } from './test-support/harness.js';

const MESSAGE = 'The team budget is spent.';
// "hello" is a 2-token prompt; the model writes exactly 20 tokens when allowed to.
const PROMPT_TOKENS = 2;
const OUTPUT_TOKENS = 20;
// $10 and $30 per million tokens: 10,000 and 30,000 nanodollars per token.
const WORST_CASE_NANOS = PROMPT_TOKENS * 10_000 + OUTPUT_TOKENS * 30_000;
const AFFORDED = 50;
const CAP_NANOS = AFFORDED * WORST_CASE_NANOS;
const REQUESTS = 200;
const MODELS = ['sim', 'openai', 'anthropic'];

interface Outcome {
  ran: boolean;
  graceful: boolean;
  promptTokens: number;
  completionTokens: number;
}

describeWithRedis('a budget shared by three instances through Redis', (redisUrl) => {
  const keyPrefix = `rampart-test:${randomBytes(6).toString('hex')}:`;
  const budget = { scope: 'deployment', window: 'month', cost: CAP_NANOS / 1e9, message: MESSAGE };
  let instances: TestServer[] = [];
  let keys: string[] = [];
  let state: RedisState;
  let upstream: UpstreamSimulator;

  beforeAll(async () => {
    upstream = await startUpstreamSimulator({
      answerTokens: OUTPUT_TOKENS,
      firstTokenMs: 5,
      tokensPerSecond: 2_000,
    });
    const price = { input: 10, output: 30 };
    // Requests take turns over the simulated provider and both wire formats of an upstream.
    const config: ConfigInput = {
      state: { backend: 'redis', url: redisUrl, keyPrefix },
      providers: {
        simulated: {
          type: 'simulated',
          firstTokenMs: 5,
          tokensPerSecond: 2_000,
          answerTokens: OUTPUT_TOKENS,
        },
        openaiWire: { type: 'openai', baseUrl: `${upstream.url}/v1`, apiKey: 'sk-test' },
        anthropicWire: { type: 'anthropic', baseUrl: upstream.url, apiKey: 'ak-test' },
      },
      models: {
        sim: { provider: 'simulated', model: 'big' },
        openai: { provider: 'openaiWire', model: 'rampart-sim-1' },
        anthropic: { provider: 'anthropicWire', model: 'rampart-sim-1' },
      },
      pricing: {
        models: {
          'simulated/big': price,
          'openaiWire/rampart-sim-1': price,
          'anthropicWire/rampart-sim-1': price,
        },
      },
      budgets: { fleet: budget } as ConfigInput['budgets'],
    };
    instances = await Promise.all([1, 2, 3].map(() => startTestServer({ config })));
    keys = await Promise.all(instances.map((instance) => instance.key('alice')));
    state = await openRedisState({ url: redisUrl, keyPrefix });
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await upstream.close();
    await deleteKeys(state.client, keyPrefix);
    await state.close();
  });

  async function request(index: number): Promise<Outcome> {
    const at = index % 3;
    const stream = index % 2 === 0;
    const response = await fetch(`${instances[at]!.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys[at]!}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: MODELS[Math.floor(index / 2) % MODELS.length],
        stream,
        stream_options: stream ? { include_usage: true } : undefined,
        max_tokens: OUTPUT_TOKENS,
        messages: [{ role: 'user', content: 'hello' }],
      }),
    });
    expect(response.status).toBe(200);
    const graceful = response.headers.get('x-rampart-budget') === 'fleet; action=message';
    const { text, usage } = stream ? await streamed(response) : await collected(response);
    if (graceful) expect(text).toBe(MESSAGE);
    return {
      ran: !graceful,
      graceful,
      promptTokens: usage?.prompt_tokens ?? 0,
      completionTokens: usage?.completion_tokens ?? 0,
    };
  }

  it('spends at most the cap plus one request, and ends the rest gracefully', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: REQUESTS }, (_, index) => request(index)),
    );

    const ran = outcomes.filter((outcome) => outcome.ran);
    const spent = ran.reduce(
      (sum, outcome) => sum + outcome.promptTokens * 10_000 + outcome.completionTokens * 30_000,
      0,
    );
    expect(spent).toBeLessThanOrEqual(CAP_NANOS + WORST_CASE_NANOS);
    expect(ran.length).toBeLessThanOrEqual(AFFORDED + 1);
    // Late requests are clamped rather than refused while 16 output tokens still fit.
    expect(ran.length).toBeGreaterThanOrEqual(AFFORDED - 2);
    expect(outcomes.every((outcome) => outcome.ran || outcome.graceful)).toBe(true);
    expect(outcomes.filter((outcome) => outcome.graceful).length).toBe(REQUESTS - ran.length);

    // The ledger in Redis agrees with what the clients were told, and holds nothing back.
    const [counter] = capCounters(
      { fleet: budgetSchema.parse(budget) },
      {
        principal: { userId: 'alice', role: 'user', tier: 'standard', permissions: [], keyId: 'k' },
        conversationId: undefined,
        now: Date.now(),
      },
    );
    const standing = await state.budgets.standing(counter!.key);
    expect(standing).toEqual({ spent, reserved: 0, cap: CAP_NANOS });
  });
});

async function collected(response: Response) {
  const body = (await response.json()) as any;
  return {
    text: body.choices[0].message.content as string,
    usage: body.usage as { prompt_tokens: number; completion_tokens: number } | undefined,
  };
}

async function streamed(response: Response) {
  const events = await readSse(response);
  expect(events.at(-1)?.data).toBe('[DONE]');
  const chunks: any[] = events.slice(0, -1).map((event) => JSON.parse(event.data));
  const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
  const usage: { prompt_tokens: number; completion_tokens: number } | undefined =
    chunks.at(-1)?.usage;
  return { text, usage };
}
