export {
  estimateComplexity,
  SCAN_LIMIT_CHARS,
  type ComplexityEstimate,
  type ComplexityInput,
  type ComplexityReason,
} from './complexity.js';
export {
  decideRoute,
  type EscalationFacts,
  type RouteOutcome,
  type RouteRequest,
  type RoutingBasis,
  type RoutingDecision,
} from './decide.js';
export { detectSignals, type SignalFact } from './signals.js';
export {
  FEEDBACK_STATE,
  latestRating,
  MAX_KEPT_RATINGS,
  ROUTING_STATE,
  readFeedback,
  readRoutingState,
  withRating,
  type FeedbackState,
  type Rating,
  type RatingValue,
  type RoutingState,
} from './routing-state.js';
export { routeHeader } from './route-header.js';
