import type { Message } from '../../core/conversation.js';
import type { EscalationSignal, RoutingPolicy } from '../../config/index.js';
import { estimateComplexity, type ComplexityReason } from './complexity.js';
import {
  ROUTING_STATE,
  readFeedback,
  readRoutingState,
  type RoutingState,
} from './routing-state.js';
import { detectSignals, type SignalFact } from './signals.js';

/** Why the tier before escalation is what it is. */
export type RoutingBasis = 'default' | 'principal-tier' | 'complexity';

/** Where a request stands with escalation. */
export interface EscalationFacts {
  /** Signals seen in this request. */
  signals: SignalFact[];
  /** True when this request's signals escalated it. */
  escalated: boolean;
  /** True when an earlier escalation still holds the session on a higher tier. */
  sticky: boolean;
  /** Turns after this one that stay escalated. */
  turnsLeft: number;
}

/** One routing decision, with every reason: recorded on the turn, logged and returned. */
export interface RoutingDecision {
  /** The route the client (or the assistant) asked for. */
  route: string;
  /** The model name chosen, a key of `models`. */
  model: string;
  tier: string;
  /** The tier before escalation. */
  baseTier: string;
  basis: RoutingBasis;
  score: number;
  reasons: ComplexityReason[];
  escalation: EscalationFacts;
}

export interface RouteRequest {
  route: string;
  policy: RoutingPolicy;
  messages: readonly Message[];
  toolsOffered: number;
  principalTier: string;
  /** The session's state when the turn began; absent for stateless requests. */
  state: Readonly<Record<string, unknown>> | undefined;
  /**
   * True for a turn that resumes after tool approvals: it carries no new ask, so the signals of
   * the exchange it continues were already acted on.
   */
  resumed?: boolean;
}

export interface RouteOutcome {
  decision: RoutingDecision;
  /** Session state to commit with the turn, when the escalation state changed. */
  statePatch: Record<string, RoutingState> | undefined;
}

/**
 * Chooses a route's tier for one request: the principal's tier default (or the route's default)
 * is the floor, the complexity score can lift it, and escalation signals (or a session still
 * escalated from an earlier turn) lift it further.
 */
export function decideRoute(request: RouteRequest): RouteOutcome {
  const { policy } = request;
  const estimate = estimateComplexity(request);
  const principalFloor = policy.principalTiers.get(request.principalTier);
  const floor = principalFloor ?? policy.defaultTier;
  const byScore = policy.tiers.findLastIndex((tier) => tier.threshold <= estimate.score);
  const base = Math.max(floor, byScore);
  const basis: RoutingBasis =
    byScore > floor ? 'complexity' : principalFloor === undefined ? 'default' : 'principal-tier';
  const escalation = escalate(request, base);
  const tier = policy.tiers[escalation.tier]!;
  const decision: RoutingDecision = {
    route: request.route,
    model: tier.model,
    tier: tier.name,
    baseTier: policy.tiers[base]!.name,
    basis,
    score: estimate.score,
    reasons: estimate.reasons,
    escalation: escalation.facts,
  };
  return {
    decision,
    statePatch: escalation.state ? { [ROUTING_STATE]: escalation.state } : undefined,
  };
}

function escalate(request: RouteRequest, base: number) {
  const { policy } = request;
  const rules = policy.escalation;
  const top = policy.tiers.length - 1;
  const signals = request.resumed
    ? []
    : detectSignals({ messages: request.messages, state: request.state, escalation: rules });
  const prior = readRoutingState(request.state);
  const priorTier =
    prior && prior.route === request.route && prior.turnsLeft > 0
      ? policy.tiers.findIndex((tier) => tier.name === prior.tier)
      : -1;
  const ratingsSeen = spentRatings(request, prior);
  const distinct = new Set<EscalationSignal>(signals.map((fact) => fact.signal)).size;
  if (distinct >= rules.minSignals && signals.length > 0) {
    const tier = Math.min(top, Math.max(base, priorTier) + rules.steps);
    const state = {
      route: request.route,
      tier: policy.tiers[tier]!.name,
      turnsLeft: rules.stickyTurns,
      ratingsSeen,
    };
    return {
      tier,
      facts: { signals, escalated: true, sticky: false, turnsLeft: rules.stickyTurns },
      state,
    };
  }
  if (priorTier >= 0 && prior) {
    const turnsLeft = prior.turnsLeft - 1;
    const state = { ...prior, turnsLeft, ratingsSeen };
    const facts = { signals, escalated: false, sticky: priorTier > base, turnsLeft };
    return { tier: Math.max(base, priorTier), facts, state };
  }
  // Nothing to count down; the state is written only when newly seen ratings need recording
  // (keeping any other route's stickiness as it was).
  const changed = (prior?.ratingsSeen ?? 0) !== ratingsSeen;
  const unchanged = prior ?? { route: request.route, tier: policy.tiers[base]!.name, turnsLeft: 0 };
  const state = changed ? { ...unchanged, ratingsSeen } : undefined;
  return { tier: base, facts: { signals, escalated: false, sticky: false, turnsLeft: 0 }, state };
}

/**
 * Every rating given before this turn is spent by it, whether it escalates or not, so each
 * counts for one decision; a resumed turn looks at no signal and leaves them for the next turn.
 */
function spentRatings(request: RouteRequest, prior: RoutingState | undefined): number {
  const seen = prior?.ratingsSeen ?? 0;
  return request.resumed ? seen : Math.max(seen, readFeedback(request.state).seq);
}
