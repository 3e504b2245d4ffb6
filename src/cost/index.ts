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
  decideRoute,
  estimateComplexity,
  FEEDBACK_STATE,
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
