import type { ToolCall, ToolMessage } from '../core/conversation.js';
import { failedToolMessage, type ToolRegistry } from '../tools/index.js';
import type { ServerTools, Turn } from './turn.js';

export const INTERRUPTED_MESSAGE =
  'This call may have started, but the turn was interrupted before its result was saved. Its ' +
  'outcome is unknown, and it was not run again.';

/** The result a session keeps for a call while it runs: what is known should the process die. */
export function interruptedResult(call: ToolCall): ToolMessage {
  return failedToolMessage(call.id, 'RAMPART_TOOL_INTERRUPTED', INTERRUPTED_MESSAGE);
}

/** Whether a call is one of the assistant's tools that does not say it only reads. */
function mayChangeTheWorld(call: ToolCall, tools: ServerTools, registry: ToolRegistry): boolean {
  if (!tools.names.includes(call.name)) return false;
  return registry.get(call.name)?.sideEffects !== false;
}

/**
 * Saves a session turn before a step's calls run, when one of them may change something: the
 * messages so far, and a result for every call of the step, whether it will run or not, so that
 * the history pairs each call with a result should the process die: `known` for the calls whose
 * result is already decided (a decline), an interrupted stand-in for the rest. Returns whether
 * it saved. A stopped turn runs no tool (a leak guard cut it), so nothing is saved for it.
 */
export async function saveBeforeTools(
  turn: Turn,
  step: { calls: readonly ToolCall[]; running: readonly ToolCall[]; known: readonly ToolMessage[] },
  options: { tools: ServerTools; registry: ToolRegistry },
): Promise<boolean> {
  const { checkpoint, signal } = turn.input;
  if (checkpoint === undefined || signal.aborted) return false;
  if (!step.running.some((call) => mayChangeTheWorld(call, options.tools, options.registry))) {
    return false;
  }
  const known = new Map(step.known.map((message) => [message.toolCallId, message]));
  const results = step.calls.map((call) => known.get(call.id) ?? interruptedResult(call));
  await checkpoint(turn.storedView?.(turn.produced) ?? turn.produced, results);
  return true;
}

/**
 * Saves the step's real results over its stand-ins once its calls have ended, so that a process
 * dying while the model answers keeps them (a booking's id, say).
 */
export async function saveAfterTools(turn: Turn): Promise<void> {
  const { checkpoint } = turn.input;
  if (checkpoint === undefined) return;
  await checkpoint(turn.storedView?.(turn.produced) ?? turn.produced, []);
}
