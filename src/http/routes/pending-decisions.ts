import type { Message, Principal, ToolCall } from '../../core/index.js';
import { RampartError } from '../../core/errors.js';
import type { ResumedCalls } from '../../runtime/index.js';
import { auditArguments } from '../../tools/index.js';
import { declinedResults, pendingToolCalls } from '../../sessions/index.js';
import type { SessionRecord } from '../../store/index.js';
import type { HttpContext } from '../context.js';

const MOVED_ON = 'The user sent a new message instead of approving this call; it was not run.';

/**
 * A new message while calls wait for approval declines them: the user moved on, and the history
 * needs a result for every call before the model can be asked again. `audit` records the
 * declines; call it once the turn is stored, so the log never holds a decline that did not happen.
 */
export function declinePending(
  context: Pick<HttpContext, 'authorizer'>,
  principal: Principal,
  session: SessionRecord,
): { calls: ToolCall[]; results: Message[]; audit: () => void } {
  const pending = pendingToolCalls(session.messages);
  const audit = () => {
    for (const call of pending) {
      const request = {
        tool: call.name,
        callId: call.id,
        arguments: auditArguments(call.approvalArguments ?? call.arguments),
        principal,
        sessionId: session.id,
      };
      void context.authorizer?.recordDeclined(request, 'the user sent a new message instead');
    }
  };
  return { calls: pending, results: declinedResults(pending, MOVED_ON), audit };
}

/** The paused calls with the user's decisions; every paused call must be decided, and only those. */
export function resumeFrom(
  history: readonly Message[],
  decisions: ReadonlyMap<string, boolean>,
): ResumedCalls {
  const pending = pendingToolCalls(history);
  if (pending.length === 0) {
    throw new RampartError(
      'RAMPART_NO_PENDING_TOOL_CALLS',
      'This session has no tool calls waiting for approval.',
    );
  }
  const ids = new Set(pending.map((call) => call.id));
  const unknown = [...decisions.keys()].find((id) => !ids.has(id));
  if (unknown !== undefined) {
    throw new RampartError(
      'RAMPART_INVALID_REQUEST',
      `The call '${unknown.slice(0, 128)}' is not waiting for approval.`,
      {
        param: 'decisions',
      },
    );
  }
  const undecided = pending.filter((call) => !decisions.has(call.id)).map((call) => call.id);
  if (undecided.length > 0) {
    throw new RampartError(
      'RAMPART_INVALID_REQUEST',
      `Every waiting call needs a decision; missing: ${undecided.join(', ')}.`,
      {
        param: 'decisions',
      },
    );
  }
  // The stored view of a call may be redacted; the approval runs what the model asked for.
  const calls = pending.map(({ id, name, arguments: shown, approvalArguments }) => ({
    id,
    name,
    arguments: approvalArguments ?? shown,
  }));
  const approved = new Set(
    pending.filter((call) => decisions.get(call.id) === true).map((call) => call.id),
  );
  return { calls, approved };
}
