import type { RoutingDecision } from '../../cost/index.js';

/** A routing decision as the session API returns it, in the API's snake_case. */
export function routingView(decision: RoutingDecision) {
  const { escalation } = decision;
  return {
    route: decision.route,
    model: decision.model,
    tier: decision.tier,
    base_tier: decision.baseTier,
    basis: decision.basis,
    score: decision.score,
    reasons: decision.reasons.map((reason) => ({ ...reason })),
    escalation: {
      signals: escalation.signals.map((fact) => ({ ...fact })),
      escalated: escalation.escalated,
      sticky: escalation.sticky,
      turns_left: escalation.turnsLeft,
    },
  };
}
