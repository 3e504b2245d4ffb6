import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Message, ToolSpec } from '../../core/conversation.js';
import { countTokens } from './count-tokens.js';
import { fitContext, type ContextParts } from './fit-context.js';
import { SHORTENED_MARK } from './tool-result-line.js';
import { pairsIntact } from './test-support/pairs.js';

const text = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.constantFrom('Ada paid $40 on 3 May 2024.', '東京で会いましょう 🎉', ''),
);
const bigText = fc.nat({ max: 12_000 }).map((size) => 'x'.repeat(size));

/** One turn: a user message, tool steps (each call paired with its result), a final answer. */
const turnArbitrary = fc.record({
  user: text,
  steps: fc.array(
    fc.record({ calls: fc.integer({ min: 1, max: 3 }), result: fc.oneof(text, bigText) }),
    { maxLength: 3 },
  ),
  answer: fc.option(text, { nil: undefined }),
});

type TurnShape = typeof turnArbitrary extends fc.Arbitrary<infer T> ? T : never;

function conversation(turns: TurnShape[]): Message[] {
  const messages: Message[] = [];
  let id = 0;
  for (const turn of turns) {
    messages.push({ role: 'user', content: [{ type: 'text', text: turn.user }] });
    for (const step of turn.steps) {
      const calls = Array.from({ length: step.calls }, () => ({
        id: `call_${id++}`,
        name: 'lookup',
        arguments: '{}',
      }));
      messages.push({ role: 'assistant', content: [], toolCalls: calls });
      for (const call of calls) {
        messages.push({ role: 'tool', toolCallId: call.id, content: step.result });
      }
    }
    if (turn.answer !== undefined) {
      messages.push({
        role: 'assistant',
        content: [{ type: 'text', text: turn.answer }],
        toolCalls: [],
      });
    }
  }
  return messages;
}

const SYSTEM: Message = { role: 'system', content: 'You are a careful assistant. '.repeat(8) };
const TOOLS: ToolSpec[] = [{ name: 'lookup', parameters: { type: 'object' } }];

function partsOf(history: Message[], limit: number): ContextParts {
  return {
    system: [SYSTEM],
    summary: undefined,
    history,
    offset: 0,
    tools: TOOLS,
    limit,
    summaryBudget: 300,
    toolResultBudget: 500,
  };
}

describe('fitContext', () => {
  it('never exceeds the limit, keeps the system prompt and the latest message, and never parts a call from its result', () => {
    fc.assert(
      fc.property(
        fc.array(turnArbitrary, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 40, max: 8_000 }),
        (turns, limit) => {
          const history = conversation(turns);
          const fit = fitContext(partsOf(history, limit));
          if (!fit.fits) {
            expect(fit.tokens).toBeGreaterThan(limit);
            return;
          }
          expect(countTokens({ messages: fit.messages, tools: TOOLS })).toBeLessThanOrEqual(limit);
          expect(fit.messages[0]).toBe(SYSTEM);
          expect(pairsIntact(fit.messages)).toBe(true);
          const lastUser = history.findLast((message) => message.role === 'user');
          expect(fit.messages).toContain(lastUser);
          const last = history.at(-1)!;
          const sent = fit.messages.at(-1)!;
          if (last.role === 'tool') expect(sent.role).toBe('tool');
          else expect(sent).toBe(last);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('fails only when the system prompt and the latest turn alone cannot fit', () => {
    fc.assert(
      fc.property(fc.array(turnArbitrary, { minLength: 1, maxLength: 10 }), (turns) => {
        const history = conversation(turns);
        const lastUser = history.findLastIndex((message) => message.role === 'user');
        const opening: Message = history[lastUser]!;
        const floor = countTokens({ messages: [SYSTEM, opening], tools: TOOLS });
        // With room for the system prompt and the latest user message, and the latest step's
        // results in one line, the fit always succeeds.
        const fit = fitContext(partsOf(history, floor + 400));
        expect(fit.fits).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('sends everything unchanged when it fits, but older tool results over their budget in one line', () => {
    const big = 'result row '.repeat(400);
    const history = conversation([
      { user: 'first', steps: [{ calls: 1, result: big }], answer: 'ok' },
      { user: 'second', steps: [{ calls: 1, result: big }], answer: undefined },
    ]);
    const fit = fitContext(partsOf(history, 100_000));
    if (!fit.fits) throw new Error('expected a fit');
    expect(fit.messages.slice(1).map((message) => message.role)).toEqual(
      history.map((message) => message.role),
    );
    const results = fit.messages.filter((message) => message.role === 'tool');
    expect(results[0]?.content).toMatch(
      new RegExp(`^\\${SHORTENED_MARK} lookup: ok, 4\\.4 kB: result row result row`),
    );
    // The latest step's result is what the model asked for to answer now: whole.
    expect(results[1]?.content).toBe(big);
    expect(fit.shortened).toBe(1);
    expect(fit.dropped).toBe(0);
  });

  it('puts the facts of turns it leaves out into the summary', () => {
    const history = conversation([
      {
        user: 'I am Ingrid Bergman and I paid $1,200 on 4 July 2022. ' + 'x'.repeat(4_000),
        steps: [],
        answer: 'noted',
      },
      { user: 'What did I pay?', steps: [], answer: undefined },
    ]);
    const fit = fitContext(partsOf(history, 600));
    if (!fit.fits) throw new Error('expected a fit');
    const summary = fit.messages[1];
    expect(summary?.role).toBe('system');
    const content = summary?.role === 'system' ? summary.content : '';
    for (const fact of ['Ingrid Bergman', '$1,200', '4 July 2022']) expect(content).toContain(fact);
    expect(fit.dropped).toBe(2);
  });
});
