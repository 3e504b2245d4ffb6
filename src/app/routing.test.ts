import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../config/index.js';
import { readSse, startTestServer, type TestServer } from './test-support/harness.js';
import { ROUTING_CONFIG } from './test-support/routing-config.js';
import { getJson, newSession, postJson, sessionMessage } from './test-support/session-client.js';

const FAILING_CALL = 'call calculator {"expression": "1 / 0"}';
const COMPLEX =
  'Explain step by step why quicksort runs in O(n log n) on average, and compare it with mergesort.';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(config: ConfigInput = ROUTING_CONFIG, keep?: { dataDir?: string }) {
  server = await startTestServer({
    config,
    ...(keep ? { ...keep, keepData: true } : {}),
  });
  return server;
}

async function keyWithTier(s: TestServer, userId: string, tier: string) {
  const created = await s.rampart.keys.create({ userId, role: 'user', tier, permissions: [] });
  return created.key;
}

function chat(s: TestServer, key: string, model: string, content: string, stream = false) {
  return postJson(s, key, '/v1/chat/completions', {
    model,
    stream,
    messages: [{ role: 'user', content }],
  });
}

/** The `X-Rampart-Route` header as a map of its `name=value` parts. */
function routeOf(response: Response): Record<string, string> {
  const header = response.headers.get('x-rampart-route') ?? '';
  return Object.fromEntries(header.split('; ').map((part) => part.split('=') as [string, string]));
}

describe('a provider model id no header can carry', () => {
  it('answers, streamed and not, with the id percent-encoded in X-Rampart-Served-By', async () => {
    const s = await start({
      ...ROUTING_CONFIG,
      models: { ...ROUTING_CONFIG.models, odd: { provider: 'simulated', model: '模型-1\n%' } },
    });
    const key = await s.key('alice');
    for (const stream of [false, true]) {
      const response = await chat(s, key, 'odd', 'hi', stream);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-rampart-served-by')).toBe(
        'simulated/%E6%A8%A1%E5%9E%8B-1%0A%25',
      );
      expect(decodeURIComponent(response.headers.get('x-rampart-served-by') ?? '')).toBe(
        'simulated/模型-1\n%',
      );
      await response.text();
    }
  });
});

describe('auto on /v1/chat/completions', () => {
  it('keeps a simple request on the small model and sends a complex one to the large model', async () => {
    const s = await start();
    const key = await s.key('alice');
    const simple = await chat(s, key, 'auto', 'What is the capital of France?');
    expect(simple.status).toBe(200);
    expect(routeOf(simple)).toMatchObject({ route: 'auto', model: 'small', tier: 'small' });
    expect(simple.headers.get('x-rampart-served-by')).toBe('simulated/sim-small');
    expect(((await simple.json()) as { model: string }).model).toBe('auto');

    const complex = await chat(s, key, 'auto', COMPLEX, true);
    expect(complex.status).toBe(200);
    expect(routeOf(complex)).toMatchObject({ tier: 'large', basis: 'complexity', score: '4' });
    expect(complex.headers.get('x-rampart-served-by')).toBe('simulated/sim-large');
    await complex.text();
  });

  it('gives a premium principal the large model by default, and plain model names no header', async () => {
    const s = await start();
    const premium = await keyWithTier(s, 'paula', 'premium');
    const routed = await chat(s, premium, 'auto', 'hi');
    expect(routeOf(routed)).toMatchObject({ tier: 'large', basis: 'principal-tier', score: '0' });
    const plain = await chat(s, premium, 'small', 'hi');
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-rampart-route')).toBeNull();
    expect(plain.headers.get('x-rampart-served-by')).toBe('simulated/sim-small');
  });

  it('escalates on a retried message in the history the client sends', async () => {
    const s = await start();
    const key = await s.key('alice');
    const response = await postJson(s, key, '/v1/chat/completions', {
      model: 'auto',
      messages: [
        { role: 'user', content: 'Name a colour.' },
        { role: 'assistant', content: 'Blue.' },
        { role: 'user', content: '  name a   colour. ' },
      ],
    });
    expect(routeOf(response)).toMatchObject({ tier: 'large', escalation: 'retry' });
  });

  it('lists the route in /v1/models with its tiers', async () => {
    const s = await start();
    const key = await s.key('alice');
    const list = await getJson(s, key, '/v1/models');
    const auto = list.data.find((entry: { id: string }) => entry.id === 'auto');
    expect(auto).toMatchObject({
      object: 'model',
      provider: 'rampart-routing',
      simulated: true,
      description: 'cheap unless the request needs more',
      routing: { tiers: { small: 'small', large: 'large' } },
    });
    expect(list.data.map((entry: { id: string }) => entry.id)).toEqual(['small', 'large', 'auto']);
  });
});

describe('auto in sessions', () => {
  it('escalates after a tool error and stays escalated for stickyTurns turns', async () => {
    const s = await start();
    const key = await s.key('alice');
    const session = await newSession(s, key);
    const first = await sessionMessage(s, key, session, FAILING_CALL);
    expect(first.body.messages.some((m: { is_error?: boolean }) => m.is_error)).toBe(true);
    expect(first.body.routing).toMatchObject({ tier: 'small', escalation: { escalated: false } });

    const second = await sessionMessage(s, key, session, 'Thanks.');
    expect(routeOf(second.response)).toMatchObject({
      tier: 'large',
      escalation: 'tool-error',
      'sticky-turns': '2',
    });
    expect(second.body.routing).toMatchObject({
      route: 'auto',
      model: 'large',
      tier: 'large',
      base_tier: 'small',
      escalation: {
        escalated: true,
        sticky: false,
        turns_left: 2,
        signals: [{ signal: 'tool-error', detail: '1 failed tool results' }],
      },
    });
    const tiers = [];
    for (const text of ['One.', 'Two.', 'Three.']) {
      const turn = await sessionMessage(s, key, session, text);
      tiers.push([turn.body.routing.tier, turn.body.routing.escalation.turns_left]);
    }
    expect(tiers).toEqual([
      ['large', 1],
      ['large', 0],
      ['small', 0],
    ]);
  });

  it('escalates when the user sends the same message again', async () => {
    const s = await start();
    const key = await s.key('alice');
    const session = await newSession(s, key);
    await sessionMessage(s, key, session, 'What is a monad?');
    const again = await sessionMessage(s, key, session, 'What is a monad?');
    expect(again.body.routing.escalation).toMatchObject({
      escalated: true,
      signals: [{ signal: 'retry' }],
    });
    expect(again.body.routing.tier).toBe('large');
  });

  it('escalates the turn after a down-rating, once', async () => {
    const s = await start();
    const key = await s.key('alice');
    const session = await newSession(s, key);
    await sessionMessage(s, key, session, 'Tell me about owls.');
    const rated = await postJson(s, key, `/v1/sessions/${session}/feedback`, {
      message_index: 1,
      rating: 'down',
      comment: 'too vague',
    });
    expect(rated.status).toBe(201);
    expect(await rated.json()).toMatchObject({
      object: 'session.feedback',
      session_id: session,
      message_index: 1,
      rating: 'down',
      comment: 'too vague',
    });
    const next = await sessionMessage(s, key, session, 'And about hawks?');
    expect(next.body.routing.escalation).toMatchObject({
      escalated: true,
      signals: [{ signal: 'down-rating', detail: '1 new down-ratings' }],
    });
    // The rating was acted on: the next turns count the stickiness down instead of escalating.
    const later = await sessionMessage(s, key, session, 'And eagles?');
    expect(later.body.routing.escalation).toMatchObject({ escalated: false, sticky: true });
  });

  it('counts a down-rating for the next turn only, even when it alone does not escalate', async () => {
    const strict = {
      ...ROUTING_CONFIG,
      routing: {
        routes: {
          auto: {
            ...ROUTING_CONFIG.routing.routes.auto,
            escalation: { stickyTurns: 2, minSignals: 2 },
          },
        },
      },
    } satisfies ConfigInput;
    const s = await start(strict);
    const key = await s.key('alice');
    const session = await newSession(s, key);
    await sessionMessage(s, key, session, 'Tell me about owls.');
    const rated = await postJson(s, key, `/v1/sessions/${session}/feedback`, {
      message_index: 1,
      rating: 'down',
    });
    expect(rated.status).toBe(201);
    const next = await sessionMessage(s, key, session, 'And about hawks?');
    expect(next.body.routing.escalation).toMatchObject({
      escalated: false,
      signals: [{ signal: 'down-rating', detail: '1 new down-ratings' }],
    });
    const later = await sessionMessage(s, key, session, 'And eagles?');
    expect(later.body.routing.escalation.signals).toEqual([]);
    // A retry now is one signal; the rating was spent two turns ago.
    const retried = await sessionMessage(s, key, session, 'And eagles?');
    expect(retried.body.routing).toMatchObject({
      tier: 'small',
      escalation: { escalated: false, signals: [{ signal: 'retry' }] },
    });
  });

  it('a down-rating withdrawn by a later up-rating is no signal', async () => {
    const s = await start();
    const key = await s.key('alice');
    const session = await newSession(s, key);
    await sessionMessage(s, key, session, 'Tell me about owls.');
    for (const rating of ['down', 'up']) {
      const rated = await postJson(s, key, `/v1/sessions/${session}/feedback`, {
        message_index: 1,
        rating,
      });
      expect(rated.status).toBe(201);
    }
    const next = await sessionMessage(s, key, session, 'And about hawks?');
    expect(next.body.routing).toMatchObject({ tier: 'small', escalation: { signals: [] } });
  });

  it('an up-rating is no signal', async () => {
    const s = await start();
    const key = await s.key('alice');
    const session = await newSession(s, key);
    await sessionMessage(s, key, session, 'Tell me about owls.');
    const rated = await postJson(s, key, `/v1/sessions/${session}/feedback`, {
      message_index: 1,
      rating: 'up',
    });
    expect(rated.status).toBe(201);
    const next = await sessionMessage(s, key, session, 'And about hawks?');
    expect(next.body.routing).toMatchObject({ tier: 'small', escalation: { signals: [] } });
  });

  it('streams the header and the decision in turn-end', async () => {
    const s = await start();
    const key = await s.key('alice');
    const session = await newSession(s, key);
    const response = await postJson(s, key, `/v1/sessions/${session}/messages`, {
      content: COMPLEX,
      stream: true,
    });
    expect(routeOf(response)).toMatchObject({ tier: 'large', basis: 'complexity' });
    const events = await readSse(response);
    const end = events.find((event) => event.event === 'turn-end');
    const body = JSON.parse(end?.data ?? '{}');
    expect(body.routing.reasons).toEqual([
      { feature: 'reasoning', detail: 'step by step, compare, why, explain', points: 4 },
      { feature: 'tools-offered', detail: '1 tools', points: 0.5 },
    ]);
  });

  it('keeps the escalation across a restart (SQLite file reopened)', async () => {
    const first = await start(ROUTING_CONFIG, {});
    const dataDir = first.dataDir;
    const key = await first.key('alice');
    const session = await newSession(first, key);
    await sessionMessage(first, key, session, FAILING_CALL);
    const escalated = await sessionMessage(first, key, session, 'Again?');
    expect(escalated.body.routing.escalation.turns_left).toBe(2);
    await first.close();

    server = undefined;
    const second = await startTestServer({ config: ROUTING_CONFIG, dataDir });
    server = second;
    const after = await sessionMessage(second, key, session, 'Still there?');
    expect(after.response.status).toBe(200);
    expect(after.body.routing).toMatchObject({
      tier: 'large',
      escalation: { escalated: false, sticky: true, turns_left: 1 },
    });
  });

  it('applies an assistant’s own thresholds to the route it names', async () => {
    const config = {
      ...ROUTING_CONFIG,
      assistants: {
        default: { model: 'auto', routing: { thresholds: { large: 0.5 } } },
      },
    } satisfies ConfigInput;
    const s = await start(config);
    const key = await s.key('alice');
    const session = await newSession(s, key);
    const turn = await sessionMessage(s, key, session, 'Why is the sky blue?');
    expect(turn.body.routing).toMatchObject({ tier: 'large', score: 1.75, basis: 'complexity' });
    // The route itself is unchanged for clients asking for it directly.
    const direct = await chat(s, key, 'auto', 'Why is the sky blue?');
    expect(routeOf(direct)).toMatchObject({ tier: 'small', score: '1.75' });
  });
});
