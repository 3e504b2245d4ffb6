import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { budgetSchema } from '../config/budget-schema.js';
import type { ConfigInput } from '../config/index.js';
import { capCounters } from '../cost/index.js';
import type { Principal } from '../core/principal.js';
import { openRedisState, type RedisState } from '../store/index.js';
import { deleteKeys } from '../store/redis/test-support/redis-harness.js';
import { describeWithRedis } from '../store/test-support/services.js';
import { startUpstreamSimulator, type UpstreamSimulator } from '../upstream-sim/index.js';
import { readSse, startTestServer, type TestServer } from './test-support/harness.js';

const conversationBudget = {
  scope: 'conversation',
  window: 'conversation',
  tokens: 1_000_000,
  cost: 1,
};
const smallBudget = {
  scope: 'user',
  window: 'day',
  tokens: 22,
  appliesTo: { users: ['carol'] },
};

describeWithRedis('budgets over both provider wire formats', (redisUrl) => {
  const keyPrefix = `rampart-test:${randomBytes(6).toString('hex')}:`;
  let simulator: UpstreamSimulator;
  let server: TestServer;
  let state: RedisState;

  beforeAll(async () => {
    simulator = await startUpstreamSimulator({ answerTokens: 40 });
    const price = { input: 3, output: 15 };
    const config: ConfigInput = {
      state: { backend: 'redis', url: redisUrl, keyPrefix },
      providers: {
        openaiWire: { type: 'openai', baseUrl: `${simulator.url}/v1`, apiKey: 'sk-test' },
        anthropicWire: { type: 'anthropic', baseUrl: simulator.url, apiKey: 'ak-test' },
      },
      models: {
        'via-openai': { provider: 'openaiWire', model: 'rampart-sim-1' },
        'via-anthropic': { provider: 'anthropicWire', model: 'rampart-sim-1' },
      },
      pricing: {
        models: { 'openaiWire/rampart-sim-1': price, 'anthropicWire/rampart-sim-1': price },
      },
      budgets: { conv: conversationBudget, small: smallBudget } as ConfigInput['budgets'],
    };
    server = await startTestServer({ config });
    state = await openRedisState({ url: redisUrl, keyPrefix });
  });

  afterAll(async () => {
    await server.close();
    await simulator.close();
    await deleteKeys(state.client, keyPrefix);
    await state.close();
  });

  function chat(key: string, body: Record<string, unknown>, conversation?: string) {
    return fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(conversation ? { 'x-rampart-conversation': conversation } : {}),
      },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }], ...body }),
    });
  }

  async function standing(principal: Principal, conversationId: string) {
    const counters = capCounters(
      { conv: budgetSchema.parse(conversationBudget) },
      { principal, conversationId, now: Date.now() },
    );
    return Promise.all(counters.map((counter) => state.budgets.standing(counter.key)));
  }

  it('records the same spend for the same tokens, streamed or not, in either format', async () => {
    const key = await server.key('alice');
    const principal = {
      userId: 'alice',
      role: 'user',
      tier: 'standard',
      permissions: [],
      keyId: '',
    };
    const seen = [];
    for (const model of ['via-openai', 'via-anthropic']) {
      for (const stream of [false, true]) {
        const conversation = `${model}-${String(stream)}`;
        const response = await chat(key, { model, stream }, conversation);
        expect(response.status).toBe(200);
        if (stream) await readSse(response);
        else await response.json();
        seen.push(await standing(principal, conversation));
      }
    }
    const [tokens, cost] = seen[0]!;
    // 40 answer tokens and a few prompt ones, at $3 and $15 per million.
    expect(tokens!.spent).toBeGreaterThan(40);
    expect(cost!.spent).toBeGreaterThan(40 * 15_000);
    expect(cost!.spent).toBeLessThan(tokens!.spent * 15_000);
    for (const counters of seen) {
      expect(counters.map((counter) => counter.spent)).toEqual([tokens!.spent, cost!.spent]);
      expect(counters.map((counter) => counter.reserved)).toEqual([0, 0]);
    }
  });

  it('clamps max_tokens on the Anthropic wire, then ends with the message', async () => {
    const key = await server.key('carol');
    const first = await chat(key, { model: 'via-anthropic', max_tokens: 1_000 });
    const body = (await first.json()) as any;
    // 22 tokens less the prompt as counted before the call (2 of text, 3 of chat framing): 17
    // of the 40 the upstream would write.
    expect(body.usage.completion_tokens).toBe(17);
    expect(body.choices[0].finish_reason).toBe('length');

    const second = await chat(key, { model: 'via-anthropic', stream: true });
    expect(second.headers.get('x-rampart-budget')).toBe('small; action=message');
    const events = await readSse(second);
    const text = events
      .filter((event) => event.data !== '[DONE]')
      .map((event) => JSON.parse(event.data).choices[0]?.delta?.content ?? '')
      .join('');
    expect(text).toBe('I have reached my response limit for this session.');
  });
});
