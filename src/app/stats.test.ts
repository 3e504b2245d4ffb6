import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../config/index.js';
import { MAX_RELATIVE_ERROR, toMicros } from '../observe/index.js';
import { captureStage } from '../observe/stats/test-support/capture-stage.js';
import { turnTokens, upstreamCalls } from '../observe/turn-facts.js';
import type { Turn } from '../runtime/index.js';
import { describeWithRedis } from '../store/test-support/services.js';
import type { ToolDefinition } from '../tools/index.js';
import { readSse, startTestServer, type TestServer } from './test-support/harness.js';
import { OwnRedis } from './test-support/own-redis.js';
import { newSession, postJson, sessionMessage } from './test-support/session-client.js';

/*
 * Turns through a real server and the simulated provider, reported by the telemetry stage, then
 * read back from `/v1/stats`: exact counts and cost, and percentiles within the stated precision
 * of the exact percentiles of what the turns recorded (kept by a capturing stage).
 */

const TARGET = 'simulated/rampart-sim-1';

const failingTool: ToolDefinition = {
  name: 'flaky',
  parameters: { type: 'object' },
  policy: { roles: ['*'] },
  handler: () => Promise.reject(new Error('the backend is down')),
};

const config: ConfigInput = {
  providers: { simulated: { type: 'simulated', firstTokenMs: 15, tokensPerSecond: 500 } },
  assistants: { default: { model: 'rampart-sim-1', tools: ['calculator', 'flaky'] } },
  pricing: {
    models: { [TARGET]: { input: 2, output: 8 } },
    tools: { calculator: 0.001 },
  },
};

/** The exact nearest-rank percentile of the values, in µs. */
function exactMicros(values: readonly number[], percentile: number): number {
  const sorted = values.map(toMicros).sort((a, b) => a - b);
  return sorted[Math.max(Math.ceil((percentile / 100) * sorted.length), 1) - 1]!;
}

/** Reported percentiles (ms) are the exact ones, or above them by at most 1/128. */
function expectWithinPrecision(reported: Record<string, number>, values: readonly number[]) {
  for (const percentile of [50, 95, 99]) {
    const truth = exactMicros(values, percentile);
    const got = Math.round(reported[`p${percentile}`]! * 1_000);
    expect(got).toBeGreaterThanOrEqual(truth);
    expect(got - truth).toBeLessThanOrEqual(Math.floor(truth * MAX_RELATIVE_ERROR));
  }
  expect(Math.round(reported.max! * 1_000)).toBe(Math.max(...values.map(toMicros)));
}

async function chat(server: TestServer, key: string, content: string, stream: boolean) {
  const response = await postJson(server, key, '/v1/chat/completions', {
    model: 'rampart-sim-1',
    stream,
    messages: [{ role: 'user', content }],
  });
  expect(response.status).toBe(200);
  if (stream) await readSse(response);
  else await response.json();
}

async function stats(server: TestServer, key: string, query = '') {
  const response = await fetch(`${server.url}/v1/stats${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as any;
}

describe('stats through a real server', () => {
  let server: TestServer;
  let admin: string;
  const turns: Turn[] = [];

  beforeAll(async () => {
    server = await startTestServer({ config, stages: [captureStage(turns)], tools: [failingTool] });
    admin = await server.key('root', 'admin');
    const alice = await server.key('alice');
    for (const [index, stream] of [false, true, false, true, false].entries()) {
      await chat(server, alice, `Tell me about harbours, part ${index}`, stream);
    }
    const session = await newSession(server, alice);
    for (const content of [
      'call calculator {"expression":"2+2"}',
      'call calculator {"wrong":1}',
      'call flaky {}',
    ]) {
      const { response } = await sessionMessage(server, alice, session, content);
      expect(response.status).toBe(200);
    }
  });
  afterAll(() => server.close());

  it('counts every model call and tool call the turns made', async () => {
    const body = await stats(server, admin);
    const calls = turns.flatMap(upstreamCalls);

    // Five chat turns of one call; three session turns of two (the call, then the answer).
    expect(turns).toHaveLength(8);
    expect(calls).toHaveLength(11);
    expect(body.instances).toBe(1);
    expect(Object.keys(body.models)).toEqual([TARGET]);
    expect(body.models[TARGET]).toMatchObject({ calls: 11, failed: 0 });
    expect(body.tools).toEqual({
      calculator: {
        calls: 2,
        ok: 1,
        outcomes: { ok: 1, error: 0, invalid_arguments: 1, denied: 0, timeout: 0, cancelled: 0 },
        duration_ms: expect.any(Object),
      },
      flaky: {
        calls: 1,
        ok: 0,
        outcomes: { ok: 0, error: 1, invalid_arguments: 0, denied: 0, timeout: 0, cancelled: 0 },
        duration_ms: expect.any(Object),
      },
    });
  });

  it('reports percentiles within the stated precision of the exact ones', async () => {
    const body = await stats(server, admin, '?window=5m');
    const calls = turns.flatMap(upstreamCalls);

    expectWithinPrecision(
      body.models[TARGET].duration_ms,
      calls.map((call) => call.durationMs),
    );
    expectWithinPrecision(
      body.models[TARGET].time_to_first_token_ms,
      calls.map((call) => call.timeToFirstEventMs!),
    );
    // The simulator waits 15 ms before its first token.
    expect(body.models[TARGET].time_to_first_token_ms.p50).toBeGreaterThanOrEqual(15);
    const flaky = turns.flatMap((turn) => turn.toolCalls).filter((call) => call.name === 'flaky');
    expectWithinPrecision(
      body.tools.flaky.duration_ms,
      flaky.map((call) => call.durationMs),
    );
  });

  it('shows the turns, their tokens and their cost on the timeline', async () => {
    const response = await fetch(`${server.url}/v1/stats/timeline?window=10m&step=1m`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const body = (await response.json()) as any;
    const points = body.points as Array<Record<string, number>>;
    const total = (field: string) => points.reduce((sum, point) => sum + point[field]!, 0);

    expect(total('turns')).toBe(8);
    expect(total('errors')).toBe(0);
    expect(total('tokens')).toBe(turns.reduce((sum, turn) => sum + turnTokens(turn), 0));
    const nanos = turns.reduce((sum, turn) => sum + turn.cost!.total, 0);
    expect(nanos).toBeGreaterThan(0);
    expect(Math.round(total('cost_usd') * 1e9)).toBe(nanos);
  });
});

describeWithRedis('stats shared by two instances through Redis', (redisUrl) => {
  let instances: TestServer[];
  /** Keys live in each instance's own SQLite file (records are not shared here). */
  let admins: string[];
  const turns: Turn[][] = [[], []];

  beforeAll(async () => {
    const shared: ConfigInput = {
      ...config,
      state: {
        backend: 'redis',
        url: redisUrl,
        keyPrefix: `rampart-test:${randomBytes(6).toString('hex')}:`,
      },
    };
    instances = await Promise.all(
      turns.map((seen) =>
        startTestServer({ config: shared, stages: [captureStage(seen)], tools: [failingTool] }),
      ),
    );
    admins = await Promise.all(instances.map((instance) => instance.key('root', 'admin')));
    const alices = await Promise.all(instances.map((instance) => instance.key('alice')));
    await Promise.all([
      ...[0, 1, 2].map((index) => chat(instances[0]!, alices[0]!, `first ${index}`, index === 1)),
      ...[0, 1].map((index) => chat(instances[1]!, alices[1]!, `second ${index}`, index === 0)),
    ]);
  });
  afterAll(() => Promise.all((instances ?? []).map((instance) => instance.close())));

  it('merges both instances: counts add, percentiles are those of all the calls', async () => {
    // Each read flushes the instance that serves it: read on the second, then on the first.
    await stats(instances[1]!, admins[1]!);
    const body = await stats(instances[0]!, admins[0]!);
    const calls = turns.flat().flatMap(upstreamCalls);

    expect(turns.map((seen) => seen.length)).toEqual([3, 2]);
    expect(body.instances).toBe(2);
    expect(body.models[TARGET]).toMatchObject({ calls: 5, failed: 0 });
    expectWithinPrecision(
      body.models[TARGET].duration_ms,
      calls.map((call) => call.durationMs),
    );
  });
});

describe('stats while Redis goes away', () => {
  let redis: OwnRedis | undefined;
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  it('serves every turn, answers 503 for stats, and writes the held figures once back', async () => {
    redis = await OwnRedis.start();
    server = await startTestServer({
      config: {
        ...config,
        state: {
          backend: 'redis',
          url: redis.url,
          keyPrefix: `stats-outage-${randomBytes(3).toString('hex')}:`,
          commandTimeoutMs: 300,
        },
      },
      tools: [failingTool],
    });
    const admin = await server.key('root', 'admin');
    const alice = await server.key('alice');
    const read = () =>
      fetch(`${server!.url}/v1/stats`, { headers: { authorization: `Bearer ${admin}` } });
    await chat(server, alice, 'before the outage', false);
    expect((await stats(server, admin)).models[TARGET].calls).toBe(1);

    await redis.stop();
    await chat(server, alice, 'during the outage', true);
    await chat(server, alice, 'still during it', false);
    const refused = await read();
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as any).error.code).toBe('RAMPART_STATE_UNAVAILABLE');

    // The test's Redis keeps nothing on disk: it comes back empty, and what the instance held
    // is all it then has.
    await redis.resume();
    let response = await read();
    for (let attempt = 0; attempt < 60 && response.status !== 200; attempt += 1) {
      await sleep(100);
      response = await read();
    }
    expect(response.status).toBe(200);
    expect(((await response.json()) as any).models[TARGET].calls).toBe(2);
  });
});
