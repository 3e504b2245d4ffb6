import { describe, expect, it } from 'vitest';
import { pricingSchema } from '../config/pricing-schema.js';
import type { ModelUsageFact, ToolCallFact } from '../runtime/index.js';
import { PriceBook } from './price-book.js';
import { turnCost } from './turn-cost.js';

const prices = new PriceBook(
  pricingSchema.parse({
    models: { 'sim/big': { input: 10, output: 30 }, 'sim/small': { input: 1, output: 2 } },
    tools: { search: 0.01, '*': 0.001 },
    memoryOperation: 0.0005,
  }),
);

function usage(target: string, input: number, output: number): ModelUsageFact {
  const [provider = '', model = ''] = target.split('/');
  return { target, provider, model, usage: { inputTokens: input, outputTokens: output } };
}

function tool(name: string, errorCode?: ToolCallFact['errorCode']): ToolCallFact {
  return { callId: name, name, known: true, ok: errorCode === undefined, durationMs: 1, errorCode };
}

describe('turnCost', () => {
  it('prices each call on the target that served it and splits by component', () => {
    const cost = turnCost(
      {
        modelUsage: [usage('sim/big', 1_000, 100), usage('sim/small', 2_000, 500)],
        toolCalls: [tool('search'), tool('calc', 'RAMPART_TOOL_FAILED')],
        memoryOperations: 2,
      },
      prices,
    );
    expect(cost.model).toBe(1_000 * 10_000 + 100 * 30_000 + 2_000 * 1_000 + 500 * 2_000);
    expect(cost.tools).toBe(10_000_000 + 1_000_000);
    expect(cost.memory).toBe(1_000_000);
    expect(cost.total).toBe(cost.model + cost.tools + cost.memory);
    expect(cost.unpriced).toEqual([]);
  });

  it('charges no tool call whose handler never ran', () => {
    const cost = turnCost(
      {
        modelUsage: [],
        toolCalls: [
          tool('search', 'RAMPART_TOOL_DENIED'),
          tool('search', 'RAMPART_TOOL_INVALID_ARGUMENTS'),
          tool('search', 'RAMPART_TOOL_CONFIRMATION_REQUIRED'),
          tool('search', 'RAMPART_TOOL_TIMEOUT'),
        ],
      },
      prices,
    );
    expect(cost.tools).toBe(10_000_000);
  });

  it('names unpriced targets once and costs them nothing', () => {
    const cost = turnCost(
      { modelUsage: [usage('x/unknown', 5, 5), usage('x/unknown', 5, 5)], toolCalls: [] },
      prices,
    );
    expect(cost).toMatchObject({ model: 0, total: 0, unpriced: ['x/unknown'] });
  });
});
