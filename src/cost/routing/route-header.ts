import type { RoutingDecision } from './decide.js';

/**
 * The decision in one header value: `route=auto; model=NAME; tier=large; score=4.5;
 * basis=complexity; escalation=tool-error,retry; sticky-turns=3`. Every value is a config name
 * or a number, so the header needs no quoting.
 */
export function routeHeader(decision: RoutingDecision): string {
  const { escalation } = decision;
  const parts = [
    `route=${decision.route}`,
    `model=${decision.model}`,
    `tier=${decision.tier}`,
    `score=${decision.score}`,
    `basis=${decision.basis}`,
  ];
  if (escalation.escalated) {
    parts.push(`escalation=${escalation.signals.map((fact) => fact.signal).join(',')}`);
  } else if (escalation.sticky) parts.push('escalation=sticky');
  if (escalation.turnsLeft > 0) parts.push(`sticky-turns=${escalation.turnsLeft}`);
  return parts.join('; ');
}
