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
  TokenCounter,
  type CountTarget,
  type CountedRequest,
  type TokenCounterOptions,
} from './token-counter.js';
export { configuredTargets } from './configured-targets.js';
export { accountingStage, type AccountingOptions } from './accounting-stage.js';
