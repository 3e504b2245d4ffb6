import type { Attributes } from '@opentelemetry/api';
import { ATTR_GEN_AI_RESPONSE_MODEL } from '@opentelemetry/semantic-conventions/incubating';
import type { Turn } from '../../runtime/index.js';
import { fallbackCount } from '../turn-facts.js';
import { finishReasons, providerAttributes, RAMPART, usageAttributes } from './span-attributes.js';

const NANOS_PER_USD = 1e9;

/** Where the answer came from: the route, the target that served it, and the fallbacks taken. */
function answerAttributes(turn: Turn): Attributes {
  const attributes: Attributes = {};
  if (turn.route) attributes[RAMPART.route] = turn.route.name;
  const served = turn.servedBy;
  if (served) {
    Object.assign(attributes, providerAttributes(served.provider.kind));
    attributes[ATTR_GEN_AI_RESPONSE_MODEL] = served.model;
    attributes[RAMPART.servedBy] = served.id;
  }
  if (turn.modelCalls.length > 0) attributes[RAMPART.fallbackCount] = fallbackCount(turn);
  if (turn.degraded) attributes[RAMPART.degraded] = turn.degraded.source;
  return attributes;
}

/** What the stages recorded: guard verdicts, spend and budgets. No text of the conversation. */
function stageAttributes(turn: Turn): Attributes {
  const { guard } = turn;
  const attributes: Attributes = { [RAMPART.guardVerdicts]: guard.flagged.length };
  let redactions = 0;
  for (const count of Object.values(guard.redactions)) redactions += count;
  if (redactions > 0) attributes[RAMPART.guardRedactions] = redactions;
  if (guard.leak) attributes[RAMPART.guardLeak] = guard.leak;
  if (turn.cost) attributes[RAMPART.costUsd] = turn.cost.total / NANOS_PER_USD;
  if (turn.budget.exhausted) attributes[RAMPART.budgetExhausted] = turn.budget.exhausted.budget;
  return attributes;
}

/** The turn's facts once every stage has settled, for its span. */
export function turnEndAttributes(turn: Turn): Attributes {
  const attributes = { ...answerAttributes(turn), ...stageAttributes(turn) };
  if (turn.modelUsage.length > 0) Object.assign(attributes, usageAttributes(turn.usage));
  if (turn.finishReason) Object.assign(attributes, finishReasons(turn.finishReason));
  return attributes;
}
