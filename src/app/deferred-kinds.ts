import type { RampartConfig } from '../config/index.js';
import type { UserMessage } from '../core/conversation.js';
import { RampartError, toRampartError } from '../core/errors.js';
import { chatTurnInput, collectTurn, newCompletionIdentity } from '../http/chat-turn.js';
import {
  CHAT_COMPLETION_JOB,
  SESSION_TURN_JOB,
  storedTraceContext,
  type DeferredChatRequest,
  type DeferredSessionTurn,
} from '../http/jobs/deferral.js';
import { planNewMessage } from '../http/routes/pending-decisions.js';
import { sessionTurnInput } from '../http/routes/session-turn.js';
import { assistantFor } from '../http/routes/sessions.js';
import { buildChatCompletion, parseChatCompletionRequest } from '../protocol/openai/index.js';
import { parseSendMessage, turnEndBody } from '../protocol/session/index.js';
import type { Runtime } from '../runtime/index.js';
import { TurnJournal, type SessionService } from '../sessions/index.js';
import type { ToolAuthorizer } from '../tools/index.js';
import type { JobRecord } from '../store/index.js';

/** What running one claimed job came to. */
export type RunOutcome =
  { kind: 'done'; result: unknown } | { kind: 'again' } | { kind: 'failed'; error: RampartError };

/** Runs one job of a kind, as its client would have run it (never streamed). */
export type JobHandler = (job: JobRecord, signal: AbortSignal) => Promise<RunOutcome>;

/** Errors after which the same request may succeed later: the limits, the session or the server. */
const LATER: ReadonlySet<string> = new Set([
  'RAMPART_RATE_LIMITED',
  'RAMPART_STATE_UNAVAILABLE',
  'RAMPART_SHUTTING_DOWN',
  'RAMPART_SESSION_BUSY',
]);

export function outcomeOf(error: RampartError): RunOutcome {
  // A busy session is worth another try, unless the turn had saved part of itself: run again,
  // it would make its tool calls twice.
  return LATER.has(error.code) && error.retryable ? { kind: 'again' } : { kind: 'failed', error };
}

/** The route still down is the one reason the queue exists: such a job waits for the next try. */
const AGAIN: RunOutcome = { kind: 'again' };

export interface JobKindDeps {
  runtime: Runtime;
  sessions: SessionService;
  config: RampartConfig;
  authorizer?: ToolAuthorizer;
}

/** The handlers of every job kind the HTTP edge defers. */
export function jobHandlers(deps: JobKindDeps): Readonly<Record<string, JobHandler>> {
  return {
    [CHAT_COMPLETION_JOB]: (job, signal) => runChat(deps, job, signal),
    [SESSION_TURN_JOB]: (job, signal) => runSessionTurn(deps, job, signal),
  };
}

async function runChat(deps: JobKindDeps, job: JobRecord, signal: AbortSignal) {
  const deferred = job.request as DeferredChatRequest;
  const parsed = parseChatCompletionRequest(deferred.body);
  const input = { ...chatTurnInput(parsed, deferred.principal, job.id, signal), buffered: true };
  if (typeof deferred.conversationId === 'string') input.conversationId = deferred.conversationId;
  const traceContext = storedTraceContext(deferred.traceContext);
  if (traceContext) input.traceContext = traceContext;
  let prepared;
  try {
    prepared = await deps.runtime.prepareTurn(input);
  } catch (error) {
    return outcomeOf(toRampartError(error));
  }
  const response = await collectTurn(prepared.events);
  if (prepared.turn.routeDown) return AGAIN;
  if (response.error) return outcomeOf(response.error);
  const identity = newCompletionIdentity(parsed.model);
  return { kind: 'done', result: buildChatCompletion(identity, response) } as const;
}

/**
 * A session turn under the session's lease, as `POST /v1/sessions/{id}/messages` runs it: the
 * user's message and every completed step are stored, and the job's result is the turn's body.
 */
async function runSessionTurn(
  deps: JobKindDeps,
  job: JobRecord,
  signal: AbortSignal,
): Promise<RunOutcome> {
  const deferred = job.request as DeferredSessionTurn;
  const body = parseSendMessage(deferred.body);
  const { sessionId, principal } = deferred;
  let outcome: RunOutcome = {
    kind: 'failed',
    error: new RampartError('RAMPART_INTERNAL', 'The session turn ended without an outcome.'),
  };
  // The declines a new message makes are audited once the turn is committed.
  let afterCommit: (() => Promise<void>) | undefined;
  try {
    const leaseMs = deps.config.sessions.turnLeaseMs;
    await deps.sessions.withTurn(principal, sessionId, leaseMs, async (session, checkpoint) => {
      const { assistant } = assistantFor(deps, session.assistant);
      const user: UserMessage = { role: 'user', content: body.content };
      const requestId = job.id;
      const planned = planNewMessage(deps, principal, session, user, requestId);
      const input = sessionTurnInput({
        assistant,
        session,
        ...(planned.user ? { user: planned.user } : {}),
        before: planned.before,
        declined: planned.declined,
        principal,
        requestId,
        buffered: true,
        signal,
      });
      const journal = new TurnJournal(planned.stored, checkpoint, session.messages);
      afterCommit = () => (journal.committed ? planned.committed() : Promise.resolve());
      input.checkpoint = journal.checkpoint;
      const traceContext = storedTraceContext(deferred.traceContext);
      if (traceContext) input.traceContext = traceContext;
      const prepared = await deps.runtime.prepareTurn(input);
      const response = await collectTurn(prepared.events);
      const { turn } = prepared;
      if (turn.produced.length === 0 && (turn.routeDown || response.error)) {
        outcome = turn.routeDown ? AGAIN : outcomeOf(response.error!);
        return { ...journal.commit([]), state: turn.statePatch };
      }
      if (response.error) {
        const saved = `${response.error.message} (the turn's ${turn.produced.length} completed messages were saved to the session)`;
        outcome = { kind: 'failed', error: new RampartError(response.error.code, saved) };
      } else {
        const facts = {
          sessionId,
          usage: turn.usage,
          produced: turn.produced,
          pending: turn.pendingToolCalls,
        };
        outcome = { kind: 'done', result: turnEndBody(turn.finishReason ?? 'stop', facts) };
      }
      return { ...journal.commit(turn.produced), state: turn.statePatch };
    });
    await afterCommit?.();
  } catch (error) {
    return outcomeOf(toRampartError(error));
  }
  return outcome;
}
