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
 * Records in the audit log that the user declined `calls`. Called once the turn that declines
 * them is committed, so the log never holds a decline that did not happen: a turn taken back
 * (the model failed before anything was shown) leaves the calls waiting.
 */
export async function auditDeclined(
  context: Pick<HttpContext, 'authorizer'>,
  calls: readonly ToolCall[],
  about: { principal: Principal; sessionId: string; requestId?: string; reason: string },
): Promise<void> {
  const { principal, sessionId, requestId, reason } = about;
  for (const call of calls) {
    const request = {
      tool: call.name,
      callId: call.id,
      arguments: auditArguments(call.approvalArguments ?? call.arguments),
      principal,
      sessionId,
      ...(requestId === undefined ? {} : { requestId }),
    };
    await context.authorizer?.recordDeclined(request, reason);
  }
}

/**
 * A new message while calls wait for approval declines them: the user moved on, and the history
 * needs a result for every call before the model can be asked again.
 */
export function declinePending(session: SessionRecord): { calls: ToolCall[]; results: Message[] } {
  const pending = pendingToolCalls(session.messages);
  return { calls: pending, results: declinedResults(pending, MOVED_ON) };
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
  /** Audits the declines, once the turn is committed with messages of its own. */
  committed: () => Promise<void>;
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
  requestId?: string,
): NewMessagePlan {
  if (isRetryOfUnfinished(session.messages, user)) {
    const stored = (produced: readonly Message[]) => [...produced];
    return { user: undefined, before: [], declined: [], stored, committed: async () => {} };
  }
  const declined = declinePending(session);
  return {
    user,
    before: declined.results,
    declined: declined.calls,
    stored: (produced) => storedMessages([...declined.results, user], produced),
    committed: () =>
      auditDeclined(context, declined.calls, {
        principal,
        sessionId: session.id,
        ...(requestId === undefined ? {} : { requestId }),
        reason: 'the user sent a new message instead',
      }),
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
