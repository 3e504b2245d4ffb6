import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRampart } from '../../app/create-rampart.js';
import type { ConfigInput } from '../../config/index.js';
import { ROUTING_CONFIG } from '../../app/test-support/routing-config.js';
import { startTestServer, type TestServer } from '../../app/test-support/harness.js';
import { scrapeMetrics } from '../../app/test-support/metrics-scrape.js';
import { sampleValue } from '../../app/test-support/prometheus-text.js';
import {
  getJson,
  newSession,
  postJson,
  sessionMessage,
} from '../../app/test-support/session-client.js';
import { MAX_KEPT_RATINGS } from '../../cost/routing/index.js';
import { openRedisState, type RedisState } from '../../store/index.js';
import { deleteKeys, uniquePrefix } from '../../store/redis/test-support/redis-harness.js';
import { describeWithRedis } from '../../store/test-support/services.js';
import { RATING_WAIT_MS } from './feedback-lease.js';

let server: TestServer;
let alice: string;
let session: string;

beforeAll(async () => {
  server = await startTestServer({ config: ROUTING_CONFIG });
  alice = await server.key('alice');
  session = await newSession(server, alice);
  await sessionMessage(server, alice, session, 'Tell me about owls.');
});
afterAll(() => server.close());

function feedback(body: unknown, id = session, key = alice) {
  return postJson(server, key, `/v1/sessions/${id}/feedback`, body);
}

async function expectInvalid(
  response: Response,
  param: string | null,
  code = 'RAMPART_INVALID_REQUEST',
) {
  expect(response.status).toBe(400);
  const body = (await response.json()) as {
    error: { code: string; param: string | null; message: string };
  };
  expect(body.error.code).toBe(code);
  expect(body.error.param).toBe(param);
  return body.error.message;
}

describe('POST /v1/sessions/{id}/feedback', () => {
  it('answers malformed JSON with 400', async () => {
    const response = await fetch(`${server.url}/v1/sessions/${session}/feedback`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}`, 'content-type': 'application/json' },
      body: '{"message_index": 1, "rating": ',
    });
    await expectInvalid(response, null, 'RAMPART_INVALID_JSON');
  });

  it('names the parameter of a wrong type or value', async () => {
    await expectInvalid(await feedback({ message_index: '1', rating: 'down' }), 'message_index');
    await expectInvalid(await feedback({ message_index: 1.5, rating: 'down' }), 'message_index');
    await expectInvalid(await feedback({ message_index: -1, rating: 'down' }), 'message_index');
    await expectInvalid(await feedback({ rating: 'down' }), 'message_index');
    await expectInvalid(await feedback({ message_index: 1, rating: 'meh' }), 'rating');
    await expectInvalid(await feedback({ message_index: 1, rating: 'up', comment: 7 }), 'comment');
    await expectInvalid(await feedback([1, 'down']), null);
  });

  it('refuses unknown fields rather than dropping them', async () => {
    const message = await expectInvalid(
      await feedback({ message_index: 1, rating: 'up', stars: 5 }),
      'stars',
    );
    expect(message).toContain('stars');
  });

  it('refuses an index out of range and a message that is not an answer', async () => {
    const far = await expectInvalid(
      await feedback({ message_index: 2, rating: 'down' }),
      'message_index',
    );
    expect(far).toContain('0..1');
    const huge = await feedback({ message_index: 1e12, rating: 'down' });
    await expectInvalid(huge, 'message_index');
    const user = await expectInvalid(
      await feedback({ message_index: 0, rating: 'down' }),
      'message_index',
    );
    expect(user).toContain('user message');
  });

  it('bounds the comment', async () => {
    const long = 'x'.repeat(2_001);
    await expectInvalid(
      await feedback({ message_index: 1, rating: 'down', comment: long }),
      'comment',
    );
    const fits = await feedback({ message_index: 1, rating: 'up', comment: 'y'.repeat(2_000) });
    expect(fits.status).toBe(201);
  });

  it('treats another user’s session and an unknown one alike: 404', async () => {
    const bob = await server.key('bob');
    const foreign = await feedback({ message_index: 1, rating: 'down' }, session, bob);
    expect(foreign.status).toBe(404);
    const body = (await foreign.json()) as { error: { code: string } };
    expect(body.error.code).toBe('RAMPART_SESSION_NOT_FOUND');
    const unknown = await feedback({ message_index: 1, rating: 'down' }, 'sess_nope', alice);
    expect(unknown.status).toBe(404);
  });

  it('stores every one of many concurrent ratings: they wait for each other, not 409', async () => {
    await rateConcurrently(server, alice);
  });
});

describeWithRedis('concurrent feedback with sessions in Redis', (redisUrl) => {
  const keyPrefix = uniquePrefix();
  let shared: TestServer;
  let state: RedisState;
  beforeAll(async () => {
    const backend = { backend: 'redis', url: redisUrl, keyPrefix } as const;
    shared = await startTestServer({ config: { ...ROUTING_CONFIG, state: backend } });
    state = await openRedisState({ url: redisUrl, keyPrefix });
  });
  afterAll(async () => {
    await shared.close();
    await deleteKeys(state.client, keyPrefix);
    await state.close();
  });

  it('stores every rating of ten clients rating at once', async () => {
    await rateConcurrently(shared, await shared.key('erin'));
  });
});

/** Ten clients rate three answers of one session, ten ratings each, all at the same time. */
async function rateConcurrently(target: TestServer, key: string) {
  const id = await newSession(target, key);
  for (const text of ['Tell me about hawks.', 'And kites?', 'And owls?']) {
    await sessionMessage(target, key, id, text);
  }
  const answers = [1, 3, 5];
  const statuses = await Promise.all(
    Array.from({ length: 10 }, async (_, client) => {
      const seen: number[] = [];
      for (let n = 0; n < 10; n++) {
        const body = { message_index: answers[(client + n) % 3], rating: 'down' };
        seen.push((await postJson(target, key, `/v1/sessions/${id}/feedback`, body)).status);
      }
      return seen;
    }),
  );
  expect(statuses.flat()).toEqual(Array(100).fill(201));
  // Each message keeps its latest rating: three answers rated down, whatever the repeats.
  const next = await sessionMessage(target, key, id, 'And eagles?');
  expect(next.body.routing.escalation.signals).toEqual([
    { signal: 'down-rating', detail: '3 new down-ratings' },
  ]);
}

describe('feedback while a turn runs', () => {
  async function duringTurn(firstTokenMs: number) {
    const slow = {
      ...ROUTING_CONFIG,
      providers: { simulated: { type: 'simulated', firstTokenMs, tokensPerSecond: 0 } },
    } satisfies ConfigInput;
    const own = await startTestServer({ config: slow });
    try {
      const key = await own.key('carol');
      const id = await newSession(own, key);
      await sessionMessage(own, key, id, 'First.');
      const turn = sessionMessage(own, key, id, 'Second.');
      await new Promise((resolve) => setTimeout(resolve, 150));
      const rated = await postJson(own, key, `/v1/sessions/${id}/feedback`, {
        message_index: 1,
        rating: 'down',
      });
      expect((await turn).response.status).toBe(200);
      return rated;
    } finally {
      await own.close();
    }
  }

  it('answers 409 with Retry-After when the turn outlasts the wait, and leaves it alone', async () => {
    const busy = await duringTurn(RATING_WAIT_MS + 1_000);
    expect(busy.status).toBe(409);
    expect(busy.headers.get('retry-after')).toBe('1');
  });

  it('stores a rating sent as a short turn ends, once the turn has committed', async () => {
    const rated = await duringTurn(400);
    expect(rated.status).toBe(201);
  });
});

describe('the feedback log line', () => {
  it('says who rated what, and only how long the comment was', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'rampart-test-'));
    const rampart = await createRampart({
      config: { ...ROUTING_CONFIG, server: { port: 0 } },
      env: {},
      overrides: { dataDir },
      logger: pino({ level: 'info' }, sink),
    });
    try {
      const url = await rampart.listen();
      const { key } = await rampart.keys.create({
        userId: 'dave',
        role: 'user',
        tier: 'standard',
        permissions: [],
      });
      const own = { url } as TestServer;
      const id = await newSession(own, key);
      await sessionMessage(own, key, id, 'Hello.');
      const rated = await postJson(own, key, `/v1/sessions/${id}/feedback`, {
        message_index: 1,
        rating: 'down',
        comment: 'my card is 4111 1111 1111 1111 🦊',
      });
      expect(rated.status).toBe(201);
      const line = lines.find((entry) => entry.msg === 'answer rated');
      // Counted by code point, as the comment's limit is: the fox is one.
      expect(line).toMatchObject({
        userId: 'dave',
        sessionId: id,
        messageIndex: 1,
        rating: 'down',
        commentChars: 32,
      });
      expect(JSON.stringify(lines)).not.toContain('4111');
    } finally {
      await rampart.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('rating an answer again', () => {
  const ratings = async (rating: 'up' | 'down') =>
    sampleValue(await scrapeMetrics(server.url), 'rampart_feedback_total', { rating });

  it('counts once when the rating it repeats is older than the ratings a session keeps', async () => {
    const id = await newSession(server, alice);
    for (let i = 0; i <= MAX_KEPT_RATINGS; i++) {
      expect((await sessionMessage(server, alice, id, `Question ${i}?`)).response.status).toBe(200);
    }
    const { messages } = (await getJson(server, alice, `/v1/sessions/${id}`)) as {
      messages: Array<{ role: string }>;
    };
    const answers = messages.flatMap((message, index) =>
      message.role === 'assistant' ? [index] : [],
    );
    expect(answers.length).toBeGreaterThan(MAX_KEPT_RATINGS);
    const rate = async (index: number, rating: 'up' | 'down') =>
      expect((await feedback({ message_index: index, rating }, id)).status).toBe(201);
    const downsBefore = await ratings('down');
    for (const index of answers) await rate(index, 'down');
    const downs = await ratings('down');
    expect(downs - downsBefore).toBe(answers.length);
    // The first answer's rating has left the kept ones; the same rating again changes nothing.
    await rate(answers[0]!, 'down');
    expect(await ratings('down')).toBe(downs);
    // A different one is a new rating, and is counted.
    const ups = await ratings('up');
    await rate(answers[0]!, 'up');
    expect(await ratings('up')).toBe(ups + 1);
  });
});

describe('rating a step that only asked for tool calls', () => {
  it('is refused: only an answer the user read can be rated', async () => {
    const tooling = await startTestServer();
    try {
      const key = await tooling.key('bob');
      const id = await newSession(tooling, key);
      const turn = await sessionMessage(tooling, key, id, 'call calculator {"expression": "2+2"}');
      expect(turn.response.status).toBe(200);
      const stored = (await (
        await fetch(`${tooling.url}/v1/sessions/${id}`, {
          headers: { authorization: `Bearer ${key}` },
        })
      ).json()) as { messages: Array<{ role: string; content: unknown }> };
      const step = stored.messages.findIndex((m) => m.role === 'assistant' && m.content === null);
      const answer = stored.messages.findLastIndex((m) => m.role === 'assistant');
      expect(step).toBeGreaterThan(-1);
      const rate = (index: number) =>
        postJson(tooling, key, `/v1/sessions/${id}/feedback`, {
          message_index: index,
          rating: 'up',
        });
      const refused = await rate(step);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as any).error.message).toContain('only asks for tool calls');
      expect((await rate(answer)).status).toBe(201);
    } finally {
      await tooling.close();
    }
  });
});
