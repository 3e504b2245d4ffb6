export { NANOS_PER_DOLLAR, toDollars, toNanos, type Nanodollars } from './money.js';
export { PRICE_CATALOG } from './price-catalog.js';
export {
  PriceBook,
  type ModelCost,
  type PriceSource,
  type PricedModel,
  type TokenPrice,
} from './price-book.js';
export { toolCallRan, turnCost, type CostFacts, type TurnCost } from './turn-cost.js';
export {
  CONTEXT_WINDOWS,
  DEFAULT_CONTEXT_WINDOW,
  catalogContextWindow,
  routeContextWindow,
} from './context-windows.js';
export {
  countTokens,
  extractFacts,
  factsOfTexts,
  pruningStage,
  SUMMARY_STATE_KEY,
  type PruningStageOptions,
} from './pruning/index.js';
