import type { PricingConfig, TokenPriceConfig } from '../config/pricing-schema.js';
import type { Usage } from '../core/events.js';
import { toNanos, type Nanodollars } from './money.js';
import { PRICE_CATALOG } from './price-catalog.js';

/** Where a model's price came from: config, the built-in catalog, or nowhere (no cost known). */
export type PriceSource = 'config' | 'catalog';

/** A model's token prices in nanodollars per token. */
export interface TokenPrice {
  input: number;
  output: number;
  cachedInput: number;
  cacheWrite: number;
  source: PriceSource;
}

/** What one model call cost, and whether a price was known at all. */
export interface ModelCost {
  nanos: Nanodollars;
  /** False when neither config nor the catalog prices the model: `nanos` is then 0. */
  priced: boolean;
}

/** One provider model, as a route target names it. */
export interface PricedModel {
  provider: string;
  model: string;
}

/**
 * What may follow a listed id in the id of the same model: a date or version stamp
 * (`-2024-08-06`, `-20241022`, `-0125`, `-v2:0`, `@20250929`, `-latest`). Anything else
 * (`-pro`, `-mini`) is another model with another price, and gets none rather than a wrong one.
 */
const SNAPSHOT_SUFFIX = /^(?:-\d{4}(?:-\d{2}-\d{2}|\d{4})?|-latest|-v\d[\w.:-]*|[@:][\w.:-]+)$/;

function perToken(price: TokenPriceConfig, source: PriceSource): TokenPrice {
  // Dollars per million tokens are nanodollars per thousandth of a token: times 1000 per token.
  const scale = (dollarsPerMillion: number) => dollarsPerMillion * 1_000;
  return {
    input: scale(price.input),
    output: scale(price.output),
    cachedInput: scale(price.cachedInput ?? price.input),
    cacheWrite: scale(price.cacheWrite ?? price.input),
    source,
  };
}

/** The entry for `model` itself, or for the listed id it is a dated or versioned snapshot of. */
function lookup<T>(table: Readonly<Record<string, T>>, model: string): T | undefined {
  const exact = table[model];
  if (exact) return exact;
  let best: string | undefined;
  for (const id of Object.keys(table)) {
    if (!model.startsWith(id) || !SNAPSHOT_SUFFIX.test(model.slice(id.length))) continue;
    if (best === undefined || id.length > best.length) best = id;
  }
  return best === undefined ? undefined : table[best];
}

/**
 * Prices every model, tool call and memory operation: config first, then the built-in catalog.
 * Built once from the frozen config; lookups are memoised since routes name few models.
 */
export class PriceBook {
  private readonly known = new Map<string, TokenPrice | undefined>();

  constructor(
    private readonly pricing: PricingConfig,
    private readonly catalog: Readonly<Record<string, TokenPriceConfig>> = PRICE_CATALOG,
  ) {}

  /** The model's prices, or `undefined` when neither config nor the catalog lists it. */
  priceOf(target: PricedModel): TokenPrice | undefined {
    const id = `${target.provider}/${target.model}`;
    if (this.known.has(id)) return this.known.get(id);
    const configured = this.pricing.models[id] ?? lookup(this.pricing.models, target.model);
    const listed = configured ? undefined : lookup(this.catalog, target.model);
    const price = configured
      ? perToken(configured, 'config')
      : listed && perToken(listed, 'catalog');
    this.known.set(id, price);
    return price;
  }

  /** What a call's reported (or estimated) usage cost on this model. */
  modelCost(target: PricedModel, usage: Usage): ModelCost {
    const price = this.priceOf(target);
    if (!price) return { nanos: 0, priced: false };
    const nanos =
      usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      (usage.cachedInputTokens ?? 0) * price.cachedInput +
      (usage.cacheWriteInputTokens ?? 0) * price.cacheWrite;
    return { nanos: Math.round(nanos), priced: true };
  }

  /**
   * The most a call can cost: every prompt token at the full input rate (a cache hit is never
   * promised) and every allowed output token. What budgets reserve before the call.
   */
  worstCase(target: PricedModel, tokens: { prompt: number; output: number }): Nanodollars {
    const price = this.priceOf(target);
    if (!price) return 0;
    const input = Math.max(price.input, price.cacheWrite);
    return Math.ceil(tokens.prompt * input + tokens.output * price.output);
  }

  /** The charge for one server-side tool call. */
  toolCost(tool: string): Nanodollars {
    const dollars = this.pricing.tools[tool] ?? this.pricing.tools['*'] ?? 0;
    return toNanos(dollars);
  }

  /** The charge for `count` memory operations. */
  memoryCost(count: number): Nanodollars {
    return count * toNanos(this.pricing.memoryOperation);
  }
}
