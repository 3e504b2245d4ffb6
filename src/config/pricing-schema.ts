import { z } from 'zod';

/**
 * Prices of model tokens, tool calls and memory operations, in US dollars. Token prices are per
 * million tokens, the unit every provider publishes them in.
 */

const perMillion = z.number().nonnegative().max(10_000);
/** A flat charge per operation; a cent-fraction like 0.0005 is typical. */
const perOperation = z.number().nonnegative().max(1_000);

export const tokenPriceSchema = z.strictObject({
  /** Dollars per million prompt tokens billed at the full rate. */
  input: perMillion,
  /** Dollars per million completion tokens. */
  output: perMillion,
  /** Dollars per million prompt tokens served from the provider's cache. Default: `input`. */
  cachedInput: perMillion.optional(),
  /** Dollars per million prompt tokens written to the provider's cache. Default: `input`. */
  cacheWrite: perMillion.optional(),
});

export const pricingSchema = z
  .strictObject({
    /**
     * Token prices by `provider/model` (one target) or by the provider's model id (every provider
     * serving it); they win over the built-in catalog. A versioned id such as
     * `gpt-4o-2024-08-06` takes the price of the id it stamps. Default none.
     */
    models: z.record(z.string().min(1), tokenPriceSchema).default({}),
    /** Dollars per server-side tool call, by tool name; `*` for the others. Default none (free). */
    tools: z.record(z.string().min(1), perOperation).default({}),
    /** Dollars per memory operation (a store or a retrieval). Default 0. */
    memoryOperation: perOperation.default(0),
  })
  .prefault({});

export type TokenPriceConfig = z.output<typeof tokenPriceSchema>;
export type PricingConfig = z.output<typeof pricingSchema>;
