import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import type { Message } from '../core/conversation.js';
import { createProviders } from '../providers/index.js';
import { builtinTools, ToolRegistry } from '../tools/index.js';
import { createRuntime } from './runtime.js';
import type { TurnInput } from './turn.js';

function setup() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({
    object: {
      providers: { simulated: { type: 'simulated', firstTokenMs: 0, tokensPerSecond: 0 } },
      models: {
        small: { provider: 'simulated', model: 'sim-small' },
        large: { provider: 'simulated', model: 'sim-large' },
      },
      routing: { routes: { auto: { models: { small: 'small', large: 'large' } } } },
    },
  });
  const tools = new ToolRegistry();
  for (const tool of builtinTools()) tools.register(tool);
  const runtime = createRuntime({
    config,
    providers: createProviders(config.providers),
    tools,
    logger: pino({ level: 'info' }, sink),
  });
  return { runtime, lines };
}

const user = (text: string): Message => ({ role: 'user', content: [{ type: 'text', text }] });

function input(modelName: string, messages: Message[], extra: Partial<TurnInput> = {}): TurnInput {
  return {
    requestId: 'req_1',
    principal: { userId: 'u1', role: 'user', tier: 'standard', permissions: [], keyId: 'k1' },
    modelName,
    messages,
    options: {},
    signal: new AbortController().signal,
    ...extra,
  };
}

async function run(runtime: ReturnType<typeof setup>['runtime'], turnInput: TurnInput) {
  const prepared = await runtime.prepareTurn(turnInput);
  for await (const event of prepared.events) void event;
  return prepared.turn;
}

describe('the route stage with a routing route', () => {
  it('resolves the chosen model and logs the decision with its reasons, never the prompt', async () => {
    const { runtime, lines } = setup();
    const turn = await run(runtime, input('auto', [user('Prove it step by step, secretly.')]));
    expect(turn.route?.name).toBe('large');
    expect(turn.servedBy?.id).toBe('simulated/sim-large');
    expect(turn.routing).toMatchObject({ route: 'auto', model: 'large', score: 4 });
    expect(lines[0]).toMatchObject({
      msg: 'turn completed',
      model: 'large',
      routing: {
        route: 'auto',
        tier: 'large',
        baseTier: 'large',
        basis: 'complexity',
        score: 4,
        reasons: [{ feature: 'reasoning', detail: 'step by step, prove', points: 4 }],
        signals: [],
        escalated: false,
        sticky: false,
        turnsLeft: 0,
      },
    });
    expect(JSON.stringify(lines[0])).not.toContain('secretly');
  });

  it('leaves a plain model name as it was: no decision, no routing field in the log', async () => {
    const { runtime, lines } = setup();
    const turn = await run(runtime, input('small', [user('Prove it step by step.')]));
    expect(turn.routing).toBeUndefined();
    expect(turn.route?.name).toBe('small');
    expect(lines[0]).not.toHaveProperty('routing');
  });

  it('writes escalation state only for session turns', async () => {
    const { runtime } = setup();
    const retried = [user('again?'), user('Again? ')];
    const stateless = await run(runtime, input('auto', retried));
    expect(stateless.routing?.escalation.escalated).toBe(true);
    expect(stateless.statePatch).toEqual({});
    const down = { index: 1, rating: 'down', at: '2026-01-01T00:00:00.000Z', seq: 1 };
    const state = { feedback: { ratings: [down], seq: 1 } };
    const session = await run(
      runtime,
      input('auto', retried, { sessionId: 'sess_1', sessionState: state }),
    );
    expect(session.routing?.escalation.signals.map((fact) => fact.signal)).toEqual([
      'retry',
      'down-rating',
    ]);
    expect(session.statePatch).toEqual({
      routing: { route: 'auto', tier: 'large', turnsLeft: 3, ratingsSeen: 1 },
    });
  });

  it('names routes among the known models when refusing an unknown one', async () => {
    const { runtime } = setup();
    await expect(runtime.prepareTurn(input('autoo', [user('hi')]))).rejects.toThrow(
      'available: small, large, auto',
    );
  });
});
