import type { Attributes } from '@opentelemetry/api';
import {
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
} from '@opentelemetry/semantic-conventions/incubating';
import { ERROR_CODES } from '../../core/errors.js';
import type { Turn } from '../../runtime/index.js';
import { fallbackCount } from '../turn-facts.js';
import { addFinishReason, addProvider, addUsage, RAMPART } from './span-attributes.js';

const NANOS_PER_USD = 1e9;

/** Where the answer came from: the route, the target that served it, and the fallbacks taken. */
function addAnswer(into: Attributes, turn: Turn): void {
  if (turn.route) into[RAMPART.route] = turn.route.name;
  const served = turn.servedBy;
  if (served) {
    addProvider(into, served.provider.kind);
    into[ATTR_GEN_AI_RESPONSE_MODEL] = served.model;
    into[RAMPART.servedBy] = served.id;
  }
  if (turn.modelCalls.length > 0) into[RAMPART.fallbackCount] = fallbackCount(turn);
  if (turn.degraded) into[RAMPART.degraded] = turn.degraded.source;
}

/** What the stages recorded: guard verdicts, spend and budgets. No text of the conversation. */
function addStageFacts(into: Attributes, turn: Turn): void {
  const { guard } = turn;
  into[RAMPART.guardVerdicts] = guard.flagged.length;
  let redactions = 0;
  for (const type in guard.redactions) redactions += guard.redactions[type] ?? 0;
  if (redactions > 0) into[RAMPART.guardRedactions] = redactions;
  if (guard.leak) into[RAMPART.guardLeak] = guard.leak;
  if (turn.cost) into[RAMPART.costUsd] = turn.cost.total / NANOS_PER_USD;
  if (turn.budget.exhausted) into[RAMPART.budgetExhausted] = turn.budget.exhausted.budget;
}

/**
 * The status the client got: a turn that failed before any content went out was answered with
 * its error's status; once content flowed, the answer was a 200 (a stream that then fails ends
 * with an error event, not a new status). A request deferred to a job (`Prefer: respond-async`)
 * got a 202 instead, which the turn does not know of.
 */
function responseStatus(turn: Turn): number {
  if (turn.errorCode === undefined || turn.contentStarted) return 200;
  return ERROR_CODES[turn.errorCode].status;
}

/** The turn's facts once every stage has settled, for its span. */
export function turnEndAttributes(turn: Turn): Attributes {
  const attributes: Attributes = {};
  if (turn.input.httpRoute !== undefined) {
    attributes[ATTR_HTTP_RESPONSE_STATUS_CODE] = responseStatus(turn);
  }
  addAnswer(attributes, turn);
  addStageFacts(attributes, turn);
  if (turn.modelUsage.length > 0) addUsage(attributes, turn.usage);
  if (turn.finishReason) addFinishReason(attributes, turn.finishReason);
  return attributes;
}
