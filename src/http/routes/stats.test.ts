import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../app/test-support/harness.js';
import type { Telemetry } from '../../observe/index.js';
import { settledTurn } from '../../observe/stats/test-support/turns.js';

let server: TestServer;
let telemetry: Telemetry;
let user: string;
let admin: string;
let reader: string;

async function get(key: string | undefined, url: string) {
  const response = await server.rampart.app.inject({
    method: 'GET',
    url,
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });
  return { status: response.statusCode, body: response.json() };
}

beforeAll(async () => {
  server = await startTestServer();
  telemetry = server.rampart.telemetry;
  user = await server.key('alice');
  admin = await server.key('root', 'admin');
  const created = await server.rampart.keys.create({
    userId: 'ops',
    role: 'user',
    tier: 'standard',
    permissions: ['stats:read'],
  });
  reader = created.key;
  const now = Date.now();
  telemetry.emit(
    settledTurn({
      at: now,
      calls: [
        { target: 'openai/gpt-4o-mini', durationMs: 900, ttftMs: 210 },
        { target: 'openai/gpt-4o-mini', durationMs: 3_100, ttftMs: 700, outcome: 'failed' },
      ],
      tools: [
        { name: 'search', durationMs: 35 },
        { name: 'search', durationMs: 97, errorCode: 'RAMPART_TOOL_TIMEOUT' },
        { name: 'search', durationMs: 0, errorCode: 'RAMPART_TOOL_DENIED' },
      ],
      inputTokens: 40,
      outputTokens: 10,
      costNanos: 12_300_000,
    }),
  );
  telemetry.emit({ type: 'feedback', at: now, rating: 'up', hasComment: false });
});
afterAll(() => server.close());

describe('GET /v1/stats', () => {
  it('gives an admin percentiles per model and per tool over the window', async () => {
    const { status, body } = await get(admin, '/v1/stats?window=15m');

    expect(status).toBe(200);
    const to = Date.parse(body.to as string);
    expect(to - Date.parse(body.from as string)).toBe(15 * 60_000);
    expect(to % 60_000).toBe(0);
    expect(body).toEqual({
      object: 'stats',
      window: '15m',
      from: expect.any(String),
      to: expect.any(String),
      precision: { significant_digits: 2, resolution_ms: 0.001, max_relative_error: 1 / 128 },
      instances: 1,
      models: {
        'openai/gpt-4o-mini': {
          calls: 2,
          failed: 1,
          // 210 ms is in the bucket 209.920-210.943 ms; the top of the other is the maximum.
          time_to_first_token_ms: { p50: 210.943, p95: 700, p99: 700, max: 700 },
          duration_ms: { p50: 901.119, p95: 3_100, p99: 3_100, max: 3_100 },
        },
      },
      tools: {
        search: {
          calls: 3,
          ok: 1,
          outcomes: { ok: 1, error: 0, invalid_arguments: 0, denied: 1, timeout: 1, cancelled: 0 },
          duration_ms: { p50: 35.071, p95: 97, p99: 97, max: 97 },
        },
      },
    });
  });

  it('serves the 15-minute window by default and to keys with stats:read', async () => {
    const { status, body } = await get(reader, '/v1/stats');
    expect(status).toBe(200);
    expect(body.window).toBe('15m');
    expect(body.models['openai/gpt-4o-mini'].calls).toBe(2);
  });

  it('refuses a key without the admin role or stats:read, and a request without a key', async () => {
    const forbidden = await get(user, '/v1/stats');
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe('RAMPART_FORBIDDEN');
    expect((await get(user, '/v1/stats/timeline')).status).toBe(403);
    expect((await get(undefined, '/v1/stats')).status).toBe(401);
  });

  it.each([
    ['15', 'window'],
    ['0m', 'window'],
    ['1.5h', 'window'],
    ['30s', 'window'],
    ['1d', 'window'],
    ['-5m', 'window'],
    ['15M', 'window'],
    [' 15m', 'window'],
    ['9999999m', 'window'],
    ['x'.repeat(17), 'window'],
  ])('refuses window=%s naming %s', async (window, param) => {
    const { status, body } = await get(admin, `/v1/stats?window=${encodeURIComponent(window)}`);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'RAMPART_INVALID_REQUEST', param });
  });

  it('refuses a window past the retention, naming it', async () => {
    const { status, body } = await get(admin, '/v1/stats?window=25h');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      code: 'RAMPART_INVALID_REQUEST',
      param: 'window',
      message: "Invalid 'window': at most 24h, the stats retention.",
    });
    expect((await get(admin, '/v1/stats?window=24h')).status).toBe(200);
    expect((await get(admin, '/v1/stats?window=1440m')).status).toBe(200);
  });

  it('refuses repeated and unknown parameters', async () => {
    const repeated = await get(admin, '/v1/stats?window=1m&window=2m');
    expect(repeated.status).toBe(400);
    expect(repeated.body.error.param).toBe('window');
    const unknown = await get(admin, '/v1/stats?windw=1m');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('RAMPART_INVALID_REQUEST');
  });
});

describe('GET /v1/stats/timeline', () => {
  it('draws the window in points a step apart, the last one holding now', async () => {
    const { status, body } = await get(admin, '/v1/stats/timeline?window=6h&step=5m');

    expect(status).toBe(200);
    expect(body).toMatchObject({
      object: 'stats.timeline',
      window: '6h',
      step: '5m',
      instances: 1,
    });
    expect(body.points).toHaveLength(72);
    const points = body.points as Array<{ at: string; turns: number; models: object }>;
    const last = points.at(-1)!;
    expect(Date.parse(last.at) % 300_000).toBe(0);
    expect(Date.parse(body.to as string) - Date.parse(last.at)).toBe(300_000);
    // The turn was reported moments ago: in the last step, or the one before if a step began
    // since.
    const busy = points.findIndex((point) => point.turns > 0);
    expect(busy).toBeGreaterThanOrEqual(70);
    expect(points[busy]).toEqual({
      at: points[busy]!.at,
      turns: 1,
      errors: 0,
      client_closed: 0,
      models: {
        'openai/gpt-4o-mini': {
          calls: 2,
          failed: 1,
          time_to_first_token_ms: { p50: 210.943, p95: 700, p99: 700, max: 700 },
          duration_ms: { p50: 901.119, p95: 3_100, p99: 3_100, max: 3_100 },
        },
      },
      tools: {
        search: {
          calls: 3,
          ok: 1,
          outcomes: { ok: 1, error: 0, invalid_arguments: 0, denied: 1, timeout: 1, cancelled: 0 },
          duration_ms: { p50: 35.071, p95: 97, p99: 97, max: 97 },
        },
      },
      model_calls: 2,
      fallbacks: 0,
      tokens: 50,
      cost_usd: 0.0123,
      conversations: { ended: 0, turns: 0, tokens: 0, cost_usd: 0 },
      feedback: { up: 1, down: 0 },
      retries: 0,
      abandoned: { stream_dropped: 0, left_after_error: 0 },
      cache_hits: 0,
      guard: { flagged: 0, redactions: 0 },
    });
    const quiet = points.filter((_, index) => index !== busy);
    expect(
      quiet.every((point) => point.turns === 0 && Object.keys(point.models).length === 0),
    ).toBe(true);
  });

  it('picks a step when none is given', async () => {
    const sixHours = await get(admin, '/v1/stats/timeline');
    expect(sixHours.body).toMatchObject({ window: '6h', step: '5m' });
    expect(sixHours.body.points).toHaveLength(72);
    const oneDay = await get(admin, '/v1/stats/timeline?window=24h');
    expect(oneDay.body).toMatchObject({ window: '24h', step: '1h' });
    expect(oneDay.body.points).toHaveLength(24);
    const twelveHours = await get(admin, '/v1/stats/timeline?window=12h');
    expect(twelveHours.body).toMatchObject({ window: '12h', step: '10m' });
  });

  it('rounds the window up to whole steps', async () => {
    const { body } = await get(admin, '/v1/stats/timeline?window=20m&step=3m');
    expect(body).toMatchObject({ window: '21m', step: '3m' });
    expect(body.points).toHaveLength(7);
  });

  it('refuses more than 500 points, saying which step would do', async () => {
    const { status, body } = await get(admin, '/v1/stats/timeline?window=24h&step=1m');
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      code: 'RAMPART_INVALID_REQUEST',
      param: 'step',
      message:
        "Invalid 'step': 24h in steps of 1m is 1440 points; at most 500 are served " +
        '(use a step of at least 3m).',
    });
    expect((await get(admin, '/v1/stats/timeline?window=24h&step=3m')).status).toBe(200);
    expect((await get(admin, '/v1/stats/timeline?window=500m&step=1m')).status).toBe(200);
  });

  it.each([
    ['window=6h&step=7h', 'step'],
    ['window=6h&step=0m', 'step'],
    ['window=6h&step=30s', 'step'],
    ['window=6h&step=', 'step'],
    ['window=72h&step=1h', 'window'],
    // Whole steps would reach back past the 24 h kept.
    ['window=24h&step=1439m', 'step'],
    ['window=23h&step=7h', 'step'],
    ['window=6h&step=5m&extra=1', ''],
  ])('refuses %s', async (query, param) => {
    const { status, body } = await get(admin, `/v1/stats/timeline?${query}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('RAMPART_INVALID_REQUEST');
    if (param !== '') expect(body.error.param).toBe(param);
  });
});

describe('with observe.stats.enabled false', () => {
  it('serves no stats routes', async () => {
    const off = await startTestServer({ config: { observe: { stats: { enabled: false } } } });
    try {
      const key = await off.key('root', 'admin');
      const response = await off.rampart.app.inject({
        method: 'GET',
        url: '/v1/stats',
        headers: { authorization: `Bearer ${key}` },
      });
      expect(response.statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
