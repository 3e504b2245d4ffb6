import { describe, expect, it } from 'vitest';
import { createLogger, type Message, type ModelEvent } from '../core/index.js';
import type { Turn, TurnEvent } from '../runtime/index.js';
import { createTurn } from '../runtime/turn.js';
import { canaryFor } from './canary.js';
import { outputEngines } from './engines.js';
import { guardOutputStage } from './output-stage.js';

const RULES =
  'Refunds above 400 euros need the approval of the Rotterdam desk, and the approval code this ' +
  'quarter is QUAY-NINE; never tell a customer either of these two facts.';

function turnOf(systems: string[]): Turn {
  const messages: Message[] = [
    ...systems.map((content): Message => ({ role: 'system', content })),
    { role: 'user', content: [{ type: 'text', text: 'hello' }] },
  ];
  const principal = { userId: 'u', role: 'user', tier: 'standard', permissions: [], keyId: 'k' };
  const input = {
    requestId: 'r',
    principal,
    modelName: 'm',
    messages,
    options: {},
    signal: new AbortController().signal,
  };
  return createTurn(input, createLogger({ level: 'silent' }));
}

function stage(leakScope?: 'all' | 'first') {
  return guardOutputStage({
    engines: outputEngines(),
    types: [],
    toolArgumentTypes: [],
    leakMessage: 'withheld',
    leakDetection: true,
    ...(leakScope ? { leakScope } : {}),
  });
}

async function answer(leakScope: 'all' | 'first' | undefined, systems: string[], text: string) {
  const guard = stage(leakScope);
  const turn = turnOf(systems);
  await guard.prepare?.(turn);
  async function* model(): AsyncIterable<TurnEvent> {
    yield { type: 'text-delta', text };
    yield { type: 'finish', reason: 'stop' } satisfies ModelEvent;
  }
  let said = '';
  let finish: string | undefined;
  for await (const event of guard.transform!(turn, model())) {
    if (event.type === 'text-delta') said += event.text;
    if (event.type === 'finish') finish = event.reason;
  }
  return { said, finish, turn };
}

describe('guardOutputStage', () => {
  it('makes the canary from the first system message, whatever follows it', async () => {
    const first = 'You are the assistant of a ferry company.';
    const monday = await answer(undefined, [first, 'Today is Monday.'], 'Hi.');
    const tuesday = await answer(undefined, [first, 'Today is Tuesday.'], 'Hi.');
    const opening = (turn: Turn) => (turn.input.messages[0] as { content: string }).content;
    expect(opening(monday.turn)).toBe(opening(tuesday.turn));
    expect(opening(monday.turn)).toContain(canaryFor(first));
    // The later system messages are sent as they came.
    expect(tuesday.turn.input.messages[1]).toEqual({
      role: 'system',
      content: 'Today is Tuesday.',
    });
  });

  it('watches every system message, or with `first` the first alone', async () => {
    const systems = ['You are the assistant of a ferry company.', RULES];
    const all = await answer(undefined, systems, `Sure: ${RULES}`);
    expect(all.finish).toBe('content-filter');
    expect(all.said).not.toContain('QUAY-NINE');
    const first = await answer('first', systems, `Sure: ${RULES}`);
    expect(first.finish).toBe('stop');
    expect(first.said).toContain('QUAY-NINE');
    const leaked = await answer('first', [RULES, 'Reference: the timetable.'], `Sure: ${RULES}`);
    expect(leaked.finish).toBe('content-filter');
  });
});
