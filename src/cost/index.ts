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
export { budgetStage, type BudgetStageOptions } from './budget-stage.js';
export { budgetHeaders } from './budget-headers.js';
export { dayWindow, monthWindow, type BudgetWindow } from './budget-window.js';
export { capCounters, type CapCounter, type CapSubject } from './budget-caps.js';
export { promptTokens } from './prompt-tokens.js';
export {
  decideRoute,
  estimateComplexity,
  FEEDBACK_STATE,
  latestRating,
  readFeedback,
  readRoutingState,
  routeHeader,
  ROUTING_STATE,
  withRating,
  type ComplexityReason,
  type Rating,
  type RatingValue,
  type RoutingDecision,
} from './routing/index.js';
export {
  TokenCounter,
  type CountTarget,
  type CountedRequest,
  type TokenCounterOptions,
} from './token-counter.js';
export { configuredTargets } from './configured-targets.js';
export { accountingStage, type AccountingOptions } from './accounting-stage.js';
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
