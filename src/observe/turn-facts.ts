import { ERROR_CODES, type ErrorCode } from '../core/errors.js';
import { toolCallRan } from '../cost/turn-cost.js';
import type { ModelCallFact, ToolCallFact } from '../runtime/turn.js';
import type { SettledTurn } from './telemetry.js';

/**
 * How a tool call ended, in the few kinds operators act on differently: a failing tool, a model
 * that writes malformed calls, a policy that refuses, a tool that is too slow.
 */
export type ToolCallOutcome =
  'ok' | 'error' | 'invalid_arguments' | 'denied' | 'timeout' | 'cancelled';

export const TOOL_CALL_OUTCOMES: readonly ToolCallOutcome[] = [
  'ok',
  'error',
  'invalid_arguments',
  'denied',
  'timeout',
  'cancelled',
];

/** What each tool error code counts as; any code not named here is an execution error. */
const TOOL_OUTCOME_BY_CODE: Partial<Record<ErrorCode, ToolCallOutcome>> = {
  // A call to a tool that does not exist is the model's malformed output, like bad arguments.
  RAMPART_TOOL_NOT_FOUND: 'invalid_arguments',
  RAMPART_TOOL_INVALID_ARGUMENTS: 'invalid_arguments',
  RAMPART_TOOL_DENIED: 'denied',
  // The user said no: a refusal by policy of a human, not a failing tool.
  RAMPART_TOOL_DECLINED: 'denied',
  // Refused by a spent budget: held back, not failing.
  RAMPART_BUDGET_EXHAUSTED: 'denied',
  RAMPART_TOOL_TIMEOUT: 'timeout',
  // The client left: the call was never started or was stopped, through no fault of the tool.
  RAMPART_CLIENT_CLOSED: 'cancelled',
};

/**
 * Whether a call is waiting for the user's approval. It has not ended: it is counted once the
 * user decides, as the call that runs (or is declined) in the turn that answers, and not before,
 * or one call would count twice, the first time as refused.
 */
export function awaitsApproval(call: { errorCode?: ErrorCode | undefined }): boolean {
  return call.errorCode === 'RAMPART_TOOL_CONFIRMATION_REQUIRED';
}

export function toolCallOutcome(call: Pick<ToolCallFact, 'ok' | 'errorCode'>): ToolCallOutcome {
  if (call.ok) return 'ok';
  return (call.errorCode && TOOL_OUTCOME_BY_CODE[call.errorCode]) ?? 'error';
}

/**
 * Whether a call's duration is an execution time worth a percentile: its handler ran (a refused
 * or malformed call took none) and ran to an end of its own (the client's leaving cut it short).
 */
export function timedToolCall(call: ToolCallFact): boolean {
  return toolCallRan(call) && call.errorCode !== 'RAMPART_CLIENT_CLOSED';
}

/** The label of a tool that does not exist: a name the model made up is never a label. */
export const UNKNOWN_TOOL = '(unknown)';

/** The tool's name as series label it: a registered tool's own, else {@link UNKNOWN_TOOL}. */
export function toolLabel(call: ToolCallFact): string {
  return call.known ? call.name : UNKNOWN_TOOL;
}

/** How a model call attempt ended; a call the client's leaving stopped is not the provider's failure. */
export type ModelCallOutcome = 'ok' | 'failed' | 'skipped' | 'cancelled';

export function modelCallOutcome(call: ModelCallFact): ModelCallOutcome {
  if (call.outcome === 'failed' && call.errorCode === 'RAMPART_CLIENT_CLOSED') return 'cancelled';
  return call.outcome;
}

/** Attempts that reached an upstream (a breaker skip made no call). */
export function upstreamCalls(turn: SettledTurn): ModelCallFact[] {
  return turn.modelCalls.filter((call) => call.outcome !== 'skipped');
}

/** `provider/model` of an attempt, the label every per-model series uses. */
export function targetOf(call: { provider: string; model: string }): string {
  return `${call.provider}/${call.model}`;
}

/**
 * Times an answer moved on from the target that failed it to another one: each attempt after the
 * first whose target differs from the attempt before it.
 */
export function fallbackCount(turn: SettledTurn): number {
  let count = 0;
  let previous: string | undefined;
  for (const call of turn.modelCalls) {
    const target = targetOf(call);
    if (previous !== undefined && target !== previous) count += 1;
    previous = target;
  }
  return count;
}

/**
 * How a turn ended, for series that split by outcome. `refused`: Rampart turned the request down
 * with a 4xx (bad input, an unknown model, a rate limit, a budget, the guard): an answer, not a
 * failure, so a misbehaving client does not look like a failing service. A provider's own 4xx
 * (`RAMPART_UPSTREAM_*`) is still an error.
 */
export type TurnOutcome = 'ok' | 'error' | 'refused' | 'client_closed';

export function turnOutcome(turn: SettledTurn): TurnOutcome {
  const code = turn.errorCode;
  if (code === undefined) return 'ok';
  if (code === 'RAMPART_CLIENT_CLOSED') return 'client_closed';
  const refused = ERROR_CODES[code].status < 500 && !code.startsWith('RAMPART_UPSTREAM_');
  return refused ? 'refused' : 'error';
}

/** Tokens a turn used: input (uncached, cache reads and cache writes) plus output. */
export function turnTokens(turn: SettledTurn): number {
  const { inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens } = turn.usage;
  return inputTokens + (cachedInputTokens ?? 0) + (cacheWriteInputTokens ?? 0) + outputTokens;
}
