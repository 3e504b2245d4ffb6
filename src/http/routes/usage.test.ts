import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../app/test-support/harness.js';
import type { UsageRecordInput } from '../../store/index.js';

let server: TestServer;
let alice: string;
let bob: string;
let admin: string;

const at = (iso: string) => Date.parse(iso);

function record(id: string, userId: string, when: string, costNanos = 1_000_000): UsageRecordInput {
  return {
    id,
    at: at(when),
    requestId: `req_${id}`,
    userId,
    keyId: 'key',
    route: 'default',
    models: [
      {
        target: 'sim/m',
        model: 'm',
        inputTokens: 10,
        outputTokens: 5,
        cachedInputTokens: 0,
        cacheWriteInputTokens: 0,
        estimated: false,
        costNanos,
      },
    ],
    toolCostNanos: 0,
    toolCalls: 0,
    memoryCostNanos: 0,
    memoryOperations: 0,
    totalCostNanos: costNanos,
    outcome: 'stop',
  };
}

async function usage(key: string | undefined, query: Record<string, string> = {}) {
  const response = await server.rampart.app.inject({
    method: 'GET',
    url: '/v1/usage',
    query,
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });
  return { status: response.statusCode, body: response.json() };
}

async function chat(key: string, content: string) {
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'rampart-sim-1', messages: [{ role: 'user', content }] }),
  });
  expect(response.status).toBe(200);
  await response.json();
}

beforeAll(async () => {
  server = await startTestServer({
    config: { pricing: { models: { 'simulated/rampart-sim-1': { input: 1, output: 2 } } } },
  });
  alice = await server.key('alice');
  bob = await server.key('bob');
  admin = await server.key('root', 'admin');
  await chat(alice, 'Hello there');
  await chat(bob, 'Tell me about the sea');
  await chat(bob, 'And about rivers');
  // Two of carol's turns on either side of midnight UTC, one day in March.
  await server.rampart.usage.record(record('c1', 'carol', '2026-03-01T23:30:00Z'));
  await server.rampart.usage.record(record('c2', 'carol', '2026-03-02T00:30:00Z', 2_000_000));
});
afterAll(() => server.close());

describe('GET /v1/usage', () => {
  it('shows a user their own usage, priced, and nobody else’s', async () => {
    const { status, body } = await usage(alice, { group_by: 'user' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ object: 'usage', user: 'alice', group_by: 'user' });
    expect(body.totals.turns).toBe(1);
    expect(body.totals.input_tokens).toBeGreaterThan(0);
    const { input_tokens: input, output_tokens: output } = body.totals;
    expect(body.totals.cost_nanodollars).toBe(input * 1_000 + output * 2_000);
    expect(body.totals.cost_usd).toBe(body.totals.cost_nanodollars / 1e9);
    expect(body.data.map((group: { key: string }) => group.key)).toEqual(['alice']);
  });

  it('gives the totals alone when no grouping is asked for', async () => {
    const { status, body } = await usage(alice, {});
    expect(status).toBe(200);
    expect(body).toMatchObject({ user: 'alice', group_by: null, data: [], has_more: false });
    expect(body.totals.turns).toBe(1);
  });

  it('refuses another user’s usage to a non-admin', async () => {
    const { status, body } = await usage(alice, { user: 'bob' });
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ code: 'RAMPART_FORBIDDEN', type: 'permission_error' });
    expect(JSON.stringify(body)).not.toContain('"turns"');
    expect((await usage(alice, { user: 'alice' })).status).toBe(200);
  });

  it('lets an admin read everyone, or one user', async () => {
    const all = await usage(admin, { group_by: 'user' });
    expect(all.body.user).toBeNull();
    expect(all.body.data.map((group: { key: string }) => group.key).sort()).toEqual([
      'alice',
      'bob',
    ]);
    const one = await usage(admin, { user: 'bob' });
    expect(one.body.totals.turns).toBe(2);
  });

  it('groups by local day with dates as the range, in a time zone', async () => {
    const query = { user: 'carol', from: '2026-03-01', to: '2026-03-02', group_by: 'day' };
    const utc = await usage(admin, query);
    expect(utc.body.from).toBe('2026-03-01T00:00:00.000Z');
    expect(utc.body.to).toBe('2026-03-03T00:00:00.000Z');
    expect(
      utc.body.data.map((day: { key: string; turns: number }) => [day.key, day.turns]),
    ).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 1],
    ]);
    const newYork = await usage(admin, { ...query, tz: 'America/New_York' });
    expect(newYork.body.from).toBe('2026-03-01T05:00:00.000Z');
    expect(newYork.body.data).toMatchObject([{ key: '2026-03-01', turns: 2, cost_usd: 0.003 }]);
  });

  it('answers bad parameters with a 400 naming the parameter', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ group_by: 'week' }, 'group_by'],
      [{ tz: 'Mars/Olympus' }, 'tz'],
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2026-13-01' }, 'to'],
      [{ limit: '0' }, 'limit'],
      [{ limit: '100000' }, 'limit'],
      [{ user: 'x'.repeat(2_000) }, 'user'],
      [{ from: '2026-03-02', to: '2026-03-01' }, 'to'],
      [{ from: '2024-01-01', to: '2026-01-01' }, 'from'],
      [{ colour: 'red' }, 'colour'],
    ];
    for (const [query, param] of cases) {
      const { status, body } = await usage(admin, query);
      expect(status, JSON.stringify(query)).toBe(400);
      expect(body.error.code).toBe('RAMPART_INVALID_REQUEST');
      expect(body.error.param).toBe(param);
    }
  });

  it('says what a date or time must look like', async () => {
    const { body } = await usage(admin, { from: '2026-13-01' });
    expect(body.error.message).toBe(
      "Invalid 'from': expected a date (2026-03-01) or a time with its offset " +
        '(2026-03-01T09:00:00Z)',
    );
  });

  it('needs a key', async () => {
    expect((await usage(undefined)).status).toBe(401);
    expect((await usage('rk_not_a_key')).status).toBe(401);
  });
});
