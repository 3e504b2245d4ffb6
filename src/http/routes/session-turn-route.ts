import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Message } from '../../core/conversation.js';
import type { RampartError } from '../../core/errors.js';
import { budgetHeaders } from '../../cost/index.js';
import { rateLimitHeaders } from '../../limits/index.js';
import { routeHeaders } from '../route-header.js';
import { nameTrace, traceContextOf } from '../trace-context.js';
import type { TraceContextHeaders, TurnInput } from '../../runtime/index.js';
import { TurnJournal, type TurnWork } from '../../sessions/index.js';
import type { SessionRecord } from '../../store/index.js';
import type { HttpContext } from '../context.js';
import { normaliseError, sendError } from '../error-handler.js';
import {
  deferredTraceContext,
  sendDeferred,
  SESSION_TURN_JOB,
  type DeferralAsk,
  type DeferredSessionTurn,
} from '../jobs/deferral.js';
import { abortOnDisconnect } from '../turn-abort.js';
import { holdUntilContent, SESSION_VISIBLE_EVENTS } from '../turn-stream.js';
import { SessionTurnResponse } from './session-turn.js';

/** A session turn, built from the session as it stands once its lease is held. */
export interface SessionTurnPlan {
  input: TurnInput;
  /** What the turn adds to the history, given the messages it produced. */
  stored: (produced: readonly Message[]) => Message[];
  /** Runs once the turn is committed with messages of its own (it audits what it decided). */
  committed?: () => Promise<void>;
}

export interface SessionTurnRoute {
  stream: boolean;
  /** Set when the client asked for a deferred answer should the route be down. */
  deferral: DeferralAsk | undefined;
  plan(session: SessionRecord, signal: AbortSignal): Promise<SessionTurnPlan> | SessionTurnPlan;
}

/**
 * Runs one turn of a session under its lease: the turn streams (or is collected), and its
 * messages are committed before the final event goes out. A turn that fails before anything
 * happened leaves the history as it was, so the client can simply retry.
 */
export async function serveSessionTurn(
  context: HttpContext,
  request: FastifyRequest<{ Params: { id: string } }>,
  reply: FastifyReply,
  route: SessionTurnRoute,
): Promise<unknown> {
  const sessionId = request.params.id;
  const abort = abortOnDisconnect(context, reply);
  const response = new SessionTurnResponse(context, reply, {
    sessionId,
    stream: route.stream,
    abort,
  });
  let earlyError: RampartError | undefined;
  let routeDown = false;
  let carried: TraceContextHeaders | undefined;
  let afterCommit: (() => Promise<void>) | undefined;
  try {
    const leaseMs = context.config.sessions.turnLeaseMs;
    const work: TurnWork = async (session, checkpoint) => {
      const plan = await route.plan(session, abort.signal);
      // Calls with side effects run only once the turn up to them is saved.
      const journal = new TurnJournal(plan.stored, checkpoint, session.messages);
      plan.input.checkpoint = journal.checkpoint;
      afterCommit = () =>
        journal.committed ? (plan.committed?.() ?? Promise.resolve()) : Promise.resolve();
      const traceContext = traceContextOf(request);
      if (traceContext) plan.input.traceContext = traceContext;
      if (request.routeOptions.url) plan.input.httpRoute = request.routeOptions.url;
      const prepared = await context.runtime.prepareTurn(plan.input, nameTrace(reply));
      reply.headers(rateLimitHeaders(prepared.turn));
      const held = await holdUntilContent(prepared.events, SESSION_VISIBLE_EVENTS);
      reply.headers(budgetHeaders(prepared.turn));
      // After the first step: a budget may have moved the turn to another model.
      reply.headers(routeHeaders(prepared.turn));
      const state = prepared.turn.statePatch;
      if (held.earlyError) {
        earlyError = held.earlyError;
        routeDown = prepared.turn.routeDown;
        carried = deferredTraceContext(prepared.handOnTrace?.(), traceContext);
        // Nothing was shown, so no call started: whatever a checkpoint saved is taken back.
        return { ...journal.commit([]), state };
      }
      await response.run(held, prepared);
      return { ...journal.commit(prepared.turn.produced), state };
    };
    await context.sessions.withTurn(request.principal, sessionId, leaseMs, work);
    await afterCommit?.();
  } catch (error) {
    if (!response.streaming) throw error;
    await response.finish(normaliseError(error));
    return;
  } finally {
    abort.release();
  }
  if (earlyError && route.deferral && routeDown) {
    const deferred: DeferredSessionTurn = {
      sessionId,
      body: request.body,
      principal: request.principal,
    };
    if (carried) deferred.traceContext = carried;
    return sendDeferred(reply, context.jobs, route.deferral, SESSION_TURN_JOB, deferred);
  }
  if (earlyError) return sendError(reply, earlyError);
  await response.finish();
}
