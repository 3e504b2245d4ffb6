import type { Message, Principal, ToolCall, UserMessage } from '../../core/index.js';
import { RampartError } from '../../core/errors.js';
import type { ResumedCalls } from '../../runtime/index.js';
import { auditArguments } from '../../tools/index.js';
import { declinedResults, isRetryOfUnfinished, pendingToolCalls } from '../../sessions/index.js';
import type { SessionRecord } from '../../store/index.js';
import type { HttpContext } from '../context.js';
import { storedMessages } from './session-turn.js';

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

/** What a new user message on a session asks for, before the turn runs. */
export interface NewMessagePlan {
  /** The message to add; absent when the message repeats a turn an interruption cut short. */
  user: UserMessage | undefined;
  /** Results before the message: declines of the calls that waited for approval. */
  before: Message[];
  declined: ToolCall[];
  /** What the turn adds to the history for the messages it produced. */
  stored: (produced: readonly Message[]) => Message[];
}

/**
 * Plans the turn of a new message: calls waiting for approval are declined (see
 * `declinePending`); a message that repeats the one whose turn did not finish after its tools
 * ran (a client retrying after losing the connection, or a server that died) continues that
 * turn, whose calls the history shows as made, instead of asking it again.
 */
export function planNewMessage(
  context: Pick<HttpContext, 'authorizer'>,
  principal: Principal,
  session: SessionRecord,
  user: UserMessage,
): NewMessagePlan {
  if (isRetryOfUnfinished(session.messages, user)) {
    return { user: undefined, before: [], declined: [], stored: (produced) => [...produced] };
  }
  const declined = declinePending(context, principal, session);
  let audited = false;
  return {
    user,
    before: declined.results,
    declined: declined.calls,
    stored: (produced) => {
      const messages = storedMessages([...declined.results, user], produced);
      // A checkpoint and the commit both read this: the declines are recorded once.
      if (messages.length > 0 && !audited) {
        audited = true;
        declined.audit();
      }
      return messages;
    },
  };
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
