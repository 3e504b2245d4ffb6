import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../config/index.js';
import { readSse, startTestServer, type TestServer } from './test-support/harness.js';
import { newSession, postJson } from './test-support/session-client.js';

const MESSAGE = 'I have reached my response limit for this session.';

/** Two priced simulated models: `big` at $10/$30 and `small` at $1/$2 per million tokens. */
function budgetConfig(budgets: NonNullable<ConfigInput['budgets']>): ConfigInput {
  return {
    providers: {
      simulated: {
        type: 'simulated',
        firstTokenMs: 0,
        tokensPerSecond: 0,
        answerTokens: 50,
        faults: [{ kind: 'status', status: 500, match: 'explode' }],
      },
    },
    models: {
      big: { provider: 'simulated', model: 'big' },
      small: { provider: 'simulated', model: 'small' },
    },
    assistants: { default: { model: 'big', tools: [] } },
    pricing: {
      models: {
        'simulated/big': { input: 10, output: 30 },
        'simulated/small': { input: 1, output: 2 },
      },
    },
    resilience: { retry: { maxAttempts: 1 } },
    // `auto` sends everything to the big model unless a budget moves it.
    routing: {
      routes: { auto: { models: { small: 'small', large: 'big' }, defaultTier: 'large' } },
    },
    budgets,
  };
}

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(budgets: NonNullable<ConfigInput['budgets']>) {
  server = await startTestServer({ config: budgetConfig(budgets) });
  return { server, key: await server.key('alice') };
}

// "hello" is 5 characters: a 2-token prompt by the estimate budgets reserve with.
const hello = (extra: Record<string, unknown> = {}) => ({
  model: 'big',
  messages: [{ role: 'user', content: 'hello' }],
  ...extra,
});

async function chat(key: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server!.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('budgets over HTTP', () => {
  it('clamps max_tokens to what the cap allows, then answers with the message', async () => {
    const { key } = await start({ daily: { scope: 'user', window: 'day', tokens: 30 } });

    const first = await chat(key, hello({ max_tokens: 1_000 }));
    const body = (await first.json()) as any;
    // Before the call the prompt counts 5 tokens (2 of text, 3 of chat framing): 30 less 5
    // leaves 25 of the 50 the model would write.
    expect(body.usage).toMatchObject({ prompt_tokens: 2, completion_tokens: 25 });
    expect(body.choices[0].finish_reason).toBe('length');
    expect(first.headers.get('x-rampart-budget')).toBeNull();

    const second = await chat(key, hello());
    expect(second.status).toBe(200);
    expect(second.headers.get('x-rampart-budget')).toBe('daily; action=message');
    const graceful = (await second.json()) as any;
    expect(graceful.choices[0]).toMatchObject({
      message: { role: 'assistant', content: MESSAGE },
      finish_reason: 'stop',
    });
    expect(graceful.usage).toMatchObject({ prompt_tokens: 0, completion_tokens: 0 });
  });

  it('keeps what was spent across a restart on the same data directory', async () => {
    const budgets = { daily: { scope: 'user' as const, window: 'day' as const, tokens: 30 } };
    server = await startTestServer({ config: budgetConfig(budgets), keepData: true });
    const { dataDir } = server;
    const key = await server.key('alice');
    const spent = await chat(key, hello({ max_tokens: 1_000 }));
    expect(((await spent.json()) as any).usage).toMatchObject({ completion_tokens: 25 });
    await server.close();

    // The second server removes the directory when it closes.
    server = await startTestServer({ config: budgetConfig(budgets), dataDir });
    const after = await chat(key, hello());
    expect(after.status).toBe(200);
    expect(after.headers.get('x-rampart-budget')).toBe('daily; action=message');
  });

  it('ends a streamed turn with the configured message as a normal answer', async () => {
    const message = 'Out of budget for today; back tomorrow.';
    const { key } = await start({ daily: { scope: 'user', window: 'day', tokens: 1, message } });

    const response = await chat(key, hello({ stream: true }));
    expect(response.status).toBe(200);
    expect(response.headers.get('x-rampart-budget')).toBe('daily; action=message');
    const events = await readSse(response);
    const chunks = events.filter((event) => event.data !== '[DONE]').map((e) => JSON.parse(e.data));
    const text = chunks.map((chunk) => chunk.choices[0]?.delta?.content ?? '').join('');
    expect(text).toBe(message);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
    expect(events.at(-1)?.data).toBe('[DONE]');
  });

  it('refuses with RAMPART_BUDGET_EXHAUSTED (402), streamed or not', async () => {
    const { key } = await start({
      strict: { scope: 'deployment', window: 'month', cost: 0.000001, onExhausted: 'error' },
    });
    for (const stream of [false, true]) {
      const response = await chat(key, hello({ stream }));
      expect(response.status).toBe(402);
      expect(response.headers.get('x-rampart-budget')).toBe('strict; action=error');
      const error = ((await response.json()) as any).error;
      expect(error).toMatchObject({
        code: 'RAMPART_BUDGET_EXHAUSTED',
        type: 'budget_exceeded_error',
      });
      expect(error.message).toContain("'strict'");
      // A monthly window reopens on the 1st, UTC: the message and Retry-After say when.
      const reopens = new Date();
      reopens.setUTCHours(0, 0, 0, 0);
      reopens.setUTCDate(1);
      reopens.setUTCMonth(reopens.getUTCMonth() + 1);
      expect(error.message).toContain(`it reopens at ${reopens.toISOString()}`);
      const seconds = Number(response.headers.get('retry-after'));
      expect(Math.abs(seconds - (reopens.getTime() - Date.now()) / 1_000)).toBeLessThan(60);
    }
  });

  it('downgrades to the cheaper route when the dear one no longer fits', async () => {
    // $0.0003: the big model's worst case for a 16-token answer is $0.0005; the small one's
    // is far less.
    const { key } = await start({
      fleet: {
        scope: 'deployment',
        window: 'day',
        cost: 0.0003,
        onExhausted: 'downgrade',
        downgradeTo: 'small',
      },
    });
    const response = await chat(key, hello());
    expect(response.status).toBe(200);
    expect(response.headers.get('x-rampart-budget')).toBe('fleet; action=downgrade');
    expect(response.headers.get('x-rampart-served-by')).toBe('simulated/small');
    const body = (await response.json()) as any;
    expect(body.usage.completion_tokens).toBe(50);

    const streamed = await chat(key, hello({ stream: true }));
    expect(streamed.headers.get('x-rampart-budget')).toBe('fleet; action=downgrade');
    expect(streamed.headers.get('x-rampart-served-by')).toBe('simulated/small');
    expect((await readSse(streamed)).at(-1)?.data).toBe('[DONE]');
  });

  it('keeps answering from the cheaper model once a downgrade cap is spent outright', async () => {
    const { key } = await start({
      fleet: {
        scope: 'deployment',
        window: 'day',
        tokens: 60,
        onExhausted: 'downgrade',
        downgradeTo: 'small',
      },
    });
    // The first answer spends the cap (2 + 50 of 60 tokens); from then on, even a request for
    // the cheap model itself, it no longer fits: every answer comes from the cheap model.
    await (await chat(key, hello())).json();
    const routed = await chat(key, hello({ model: 'auto' }));
    expect(routed.headers.get('x-rampart-served-by')).toBe('simulated/small');
    expect(routed.headers.get('x-rampart-route')).toContain('model=small');
    await routed.json();
    for (const model of [undefined, 'small']) {
      const response = await chat(key, hello(model ? { model } : {}));
      expect(response.status).toBe(200);
      expect(response.headers.get('x-rampart-budget')).toBe('fleet; action=downgrade');
      expect(response.headers.get('x-rampart-served-by')).toBe('simulated/small');
      expect(((await response.json()) as any).usage.completion_tokens).toBe(50);
    }
  });

  it('refuses a session turn with 402 and leaves the history as it was', async () => {
    const { key } = await start({
      chat: { scope: 'conversation', window: 'conversation', tokens: 1, onExhausted: 'error' },
    });
    const session = await newSession(server!, key);
    const path = `/v1/sessions/${session}/messages`;
    const response = await postJson(server!, key, path, { content: 'hello' });
    expect(response.status).toBe(402);
    expect(((await response.json()) as any).error.code).toBe('RAMPART_BUDGET_EXHAUSTED');
    const stored = await fetch(`${server!.url}/v1/sessions/${session}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(((await stored.json()) as any).messages).toEqual([]);
  });

  it('warns on the response that may cross the warning line, and on every one after', async () => {
    const { key } = await start({
      daily: { scope: 'user', window: 'day', tokens: 300, warnAt: 0.5 },
    });
    // Each call reserves 5 + 50 tokens and spends 2 + 50: the line is 150.
    for (const spent of [0, 52]) {
      const response = await chat(key, hello({ max_tokens: 50 }));
      expect(response.headers.get('x-rampart-budget-warning'), `at ${spent}`).toBeNull();
      await response.json();
    }
    // 104 spent and this call's 55 at most reach the line: this answer may cross it.
    const third = await chat(key, hello({ max_tokens: 50 }));
    expect(third.headers.get('x-rampart-budget-warning')).toBe('daily');
    expect(third.headers.get('x-rampart-budget')).toBeNull();
    expect(((await third.json()) as any).usage.completion_tokens).toBe(50);
    const fourth = await chat(key, hello({ max_tokens: 50 }));
    expect(fourth.headers.get('x-rampart-budget-warning')).toBe('daily');
    await fourth.json();
  });

  it('warns on the answer to a tool decision too, which reserves only after the tool ran', async () => {
    const config = budgetConfig({
      daily: { scope: 'user', window: 'day', tokens: 100_000, warnAt: 0.01 },
    });
    config.assistants = { default: { model: 'big', tools: ['calculator'] } };
    config.authorization = { tools: { calculator: { confirm: true } } };
    server = await startTestServer({ config });
    const key = await server.key('alice');
    const session = await newSession(server, key);
    const paused = await postJson(server, key, `/v1/sessions/${session}/messages`, {
      content: 'call calculator {"expression": "6*7"}',
    });
    expect(paused.headers.get('x-rampart-budget-warning')).toBe('daily');
    const pending = ((await paused.json()) as any).pending_tool_calls;
    expect(pending).toHaveLength(1);
    const decided = await postJson(server, key, `/v1/sessions/${session}/tool-decisions`, {
      decisions: [{ tool_call_id: pending[0].id, approve: true }],
    });
    expect(decided.status).toBe(200);
    expect(decided.headers.get('x-rampart-budget-warning')).toBe('daily');
    expect(((await decided.json()) as any).budget.warnings).toEqual(['daily']);
  });

  it('lets concurrent calls wait for room that running calls hold, not refuse them', async () => {
    // Each call without max_tokens holds 4,101 of the 5,000 tokens while it runs, and spends 52.
    const config = budgetConfig({ daily: { scope: 'user', window: 'day', tokens: 5_000 } });
    const slow = {
      type: 'simulated' as const,
      firstTokenMs: 100,
      tokensPerSecond: 0,
      answerTokens: 50,
    };
    server = await startTestServer({ config: { ...config, providers: { simulated: slow } } });
    const key = await server.key('alice');
    const responses = await Promise.all(Array.from({ length: 10 }, () => chat(key, hello())));
    for (const response of responses) {
      expect(response.headers.get('x-rampart-budget')).toBeNull();
      expect(((await response.json()) as any).usage.completion_tokens).toBe(50);
    }
  });

  it('releases the reservation of a call that failed before any spend', async () => {
    const { key } = await start({ daily: { scope: 'user', window: 'day', tokens: 30 } });
    const failed = await chat(key, {
      ...hello(),
      messages: [{ role: 'user', content: 'explode' }],
    });
    expect(failed.status).toBe(502);
    await failed.json();
    // Had the failed call's hold leaked, not even 16 tokens would fit now.
    const body = (await (await chat(key, hello())).json()) as any;
    expect(body.usage.completion_tokens).toBe(25);
  });

  it('counts conversation caps per client-named conversation only', async () => {
    const { key } = await start({
      chat: { scope: 'conversation', window: 'conversation', tokens: 1 },
    });
    const loose = await chat(key, hello());
    expect(loose.headers.get('x-rampart-budget')).toBeNull();
    await loose.json();
    const named = await chat(key, hello(), { 'x-rampart-conversation': 'c-1' });
    expect(named.headers.get('x-rampart-budget')).toBe('chat; action=message');
    await named.json();
    for (const value of ['{x}', 'a b', 'x'.repeat(129), '../..', '']) {
      const hostile = await chat(key, hello(), { 'x-rampart-conversation': value });
      expect(hostile.status).toBe(400);
      expect(((await hostile.json()) as any).error.param).toBe('x-rampart-conversation');
    }
  });

  it('gives a session turn the message and a budget field in its result', async () => {
    const { key } = await start({
      chat: { scope: 'conversation', window: 'conversation', tokens: 1 },
    });
    const session = await newSession(server!, key);
    const response = await postJson(server!, key, `/v1/sessions/${session}/messages`, {
      content: 'hello',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-rampart-budget')).toBe('chat; action=message');
    const body = (await response.json()) as any;
    expect(body.finish_reason).toBe('stop');
    expect(body.message).toMatchObject({ role: 'assistant', content: MESSAGE });
    expect(body.budget).toEqual({ exhausted: { budget: 'chat', action: 'message' }, warnings: [] });
  });

  describe('scopes', () => {
    const cap = { window: 'day', tokens: 30 } as const;

    async function keyFor(userId: string, team?: string) {
      const input = { userId, role: 'user', tier: 'standard', permissions: [] };
      return (await server!.rampart.keys.create(team ? { ...input, team } : input)).key;
    }

    /** Whether a turn by this key ran (true) or got the budget's message (false). */
    async function ran(key: string): Promise<boolean> {
      const response = await chat(key, hello());
      await response.json();
      return response.headers.get('x-rampart-budget') === null;
    }

    it('counts a user budget per user', async () => {
      await start({ mine: { scope: 'user', ...cap } });
      const [alice, bob] = [await keyFor('alice'), await keyFor('bob')];
      expect([await ran(alice), await ran(alice), await ran(bob)]).toEqual([true, false, true]);
    });

    it('counts a team budget per team, from the key, and skips keys without one', async () => {
      await start({ shared: { scope: 'team', ...cap } });
      const alice = await keyFor('alice', 'research');
      const carol = await keyFor('carol', 'research');
      const bob = await keyFor('bob', 'sales');
      const dan = await keyFor('dan');
      const outcomes = [await ran(alice), await ran(carol), await ran(bob), await ran(dan)];
      expect(outcomes).toEqual([true, false, true, true]);
      expect(await ran(dan)).toBe(true);
    });

    it('counts a deployment budget across everyone', async () => {
      await start({ all: { scope: 'deployment', ...cap } });
      const [alice, bob] = [await keyFor('alice'), await keyFor('bob')];
      expect([await ran(alice), await ran(bob)]).toEqual([true, false]);
    });

    it('selects by team when the budget names teams', async () => {
      await start({ r: { scope: 'user', ...cap, appliesTo: { teams: ['research'] } } });
      const alice = await keyFor('alice', 'research');
      const bob = await keyFor('bob');
      expect([await ran(alice), await ran(alice), await ran(bob), await ran(bob)]).toEqual([
        true,
        false,
        true,
        true,
      ]);
    });
  });

  it('runs no step of priced tool calls the budget cannot pay, and runs the next that fits', async () => {
    // The models are unpriced here: only the $0.5 calculator calls cost anything.
    const config = budgetConfig({ tools: { scope: 'user', window: 'day', cost: 1 } });
    server = await startTestServer({
      config: {
        ...config,
        pricing: { tools: { calculator: 0.5 } },
        assistants: { default: { model: 'big', tools: ['calculator'] } },
      },
    });
    const key = await server.key('alice');
    const session = await newSession(server, key);
    const call = 'call calculator {"expression": "6*7"} ';
    const path = `/v1/sessions/${session}/messages`;

    // Three calls would cost $1.5 of the $1: none runs, each result says why.
    const refused = (await (
      await postJson(server, key, path, { content: call.repeat(3) })
    ).json()) as any;
    const results = refused.messages.filter((message: any) => message.role === 'tool');
    expect(results).toHaveLength(3);
    for (const result of results) {
      expect(result.content).toContain('RAMPART_BUDGET_EXHAUSTED');
      expect(result.content).not.toContain('42');
    }
    expect(refused.messages.at(-1).role).toBe('assistant');

    // Two cost exactly the $1 left: both run.
    const ran = (await (
      await postJson(server, key, path, { content: call.repeat(2) })
    ).json()) as any;
    const answers = ran.messages.filter((message: any) => message.role === 'tool');
    expect(answers.map((message: any) => message.content)).toEqual([
      expect.stringContaining('42'),
      expect.stringContaining('42'),
    ]);

    // Nothing is left for one more.
    const after = (await (await postJson(server, key, path, { content: call })).json()) as any;
    const last = after.messages.find((message: any) => message.role === 'tool');
    expect(last?.content ?? '').toContain('RAMPART_BUDGET_EXHAUSTED');
    const usage = await fetch(`${server.url}/v1/usage`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const totals = ((await usage.json()) as any).totals;
    // Two calls ran and were charged; the four refused were recorded, not charged.
    expect(totals.tool_cost_usd).toBeCloseTo(1, 9);
    expect(totals.cost_usd).toBeCloseTo(1, 9);
  });

  it('applies a budget only to the tiers it names', async () => {
    const { key } = await start({
      free: { scope: 'user', window: 'day', tokens: 1, appliesTo: { tiers: ['free'] } },
    });
    const response = await chat(key, hello());
    expect(response.headers.get('x-rampart-budget')).toBeNull();
    expect(((await response.json()) as any).usage.completion_tokens).toBe(50);
  });
});
