import { describe, expect, it } from 'vitest';
import { pricingSchema } from '../config/pricing-schema.js';
import { PriceBook } from './price-book.js';
import { toDollars, toNanos } from './money.js';

function book(pricing: unknown = {}) {
  return new PriceBook(pricingSchema.parse(pricing));
}

describe('PriceBook', () => {
  it('prices a catalog model per million tokens, cached and written tokens apart', () => {
    const prices = book();
    const cost = prices.modelCost(
      { provider: 'anthropic', model: 'claude-sonnet-4-5' },
      {
        inputTokens: 1_000_000,
        outputTokens: 100_000,
        cachedInputTokens: 200_000,
        cacheWriteInputTokens: 10_000,
      },
    );
    // 3 + 1.5 + 0.06 + 0.0375 dollars
    expect(toDollars(cost.nanos)).toBeCloseTo(4.5975, 9);
    expect(cost.priced).toBe(true);
  });

  it('gives a dated or versioned snapshot the price of the model it stamps, and nothing else', () => {
    const prices = book();
    const input = (model: string) => prices.priceOf({ provider: 'p', model })?.input;
    expect(input('claude-3-5-sonnet-20241022')).toBe(3_000);
    expect(input('claude-sonnet-4-5@20250929')).toBe(3_000);
    expect(input('claude-3-5-haiku-latest')).toBe(800);
    expect(input('claude-opus-4-1-20250805')).toBe(15_000);
    expect(input('o3-mini-2025-01-31')).toBe(1_100);
    expect(input('gpt-3.5-turbo-0125')).toBe(500);
    // Other models that share a prefix are not priced as it.
    expect(input('o1-pro')).toBe(150_000);
    expect(input('o3-deep-research')).toBeUndefined();
    expect(input('gpt-4o-audio-preview')).toBeUndefined();
    expect(prices.priceOf({ provider: 'openai', model: 'gpt-4o-mini-2024-07-18' })?.input).toBe(
      150,
    );
    expect(prices.priceOf({ provider: 'openai', model: 'gpt-4o-2024-08-06' })?.input).toBe(2_500);
    // `gpt-4o` is a prefix of `gpt-4omega` but not at a separator: no price.
    expect(prices.priceOf({ provider: 'openai', model: 'gpt-4omega' })).toBeUndefined();
  });

  it('lets config win, by target first and then by model id', () => {
    const prices = book({
      models: {
        'azure/gpt-4o': { input: 5, output: 15 },
        'gpt-4o': { input: 2, output: 9 },
      },
    });
    expect(prices.priceOf({ provider: 'azure', model: 'gpt-4o' })).toMatchObject({
      input: 5_000,
      output: 15_000,
      cachedInput: 5_000,
      source: 'config',
    });
    expect(prices.priceOf({ provider: 'openai', model: 'gpt-4o' })?.output).toBe(9_000);
  });

  it('records an unknown model as unpriced rather than free by accident', () => {
    const cost = book().modelCost(
      { provider: 'local', model: 'my-model' },
      { inputTokens: 10, outputTokens: 10 },
    );
    expect(cost).toEqual({ nanos: 0, priced: false });
  });

  it('reserves every prompt token at the dearer input rate plus all allowed output', () => {
    const prices = book({ models: { 'p/m': { input: 1, output: 4, cacheWrite: 2 } } });
    const worst = prices.worstCase({ provider: 'p', model: 'm' }, { prompt: 1_000, output: 500 });
    expect(worst).toBe(1_000 * 2_000 + 500 * 4_000);
  });

  it('charges tool calls by name with a default, and memory operations', () => {
    const prices = book({ tools: { search: 0.005, '*': 0.001 }, memoryOperation: 0.0001 });
    expect(prices.toolCost('search')).toBe(toNanos(0.005));
    expect(prices.toolCost('other')).toBe(1_000_000);
    expect(prices.memoryCost(3)).toBe(300_000);
    expect(book().toolCost('search')).toBe(0);
  });

  it('refuses negative or absurd prices in config', () => {
    expect(() => pricingSchema.parse({ models: { m: { input: -1, output: 1 } } })).toThrow();
    expect(() => pricingSchema.parse({ models: { m: { input: 1 } } })).toThrow();
    expect(() => pricingSchema.parse({ tools: { t: 1e9 } })).toThrow();
  });
});
