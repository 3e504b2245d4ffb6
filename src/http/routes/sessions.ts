import type { FastifyInstance } from 'fastify';
import type { UserMessage } from '../../core/conversation.js';
import { RampartError } from '../../core/errors.js';
import { parseCreateSession, parseSendMessage, sessionView } from '../../protocol/session/index.js';
import { rateLimitHeaders } from '../../limits/index.js';
import type { HttpContext } from '../context.js';
import { normaliseError, sendError } from '../error-handler.js';
import { abortOnDisconnect } from '../turn-abort.js';
import { holdUntilContent, SESSION_VISIBLE_EVENTS } from '../turn-stream.js';
import { readDeferralAsk, sendDeferred, SESSION_TURN_JOB } from '../jobs/deferral.js';
import { SessionTurnResponse, sessionTurnInput, storedMessages } from './session-turn.js';

type WithId = { Params: { id: string } };

export function assistantFor(context: Pick<HttpContext, 'config'>, name: string | undefined) {
  const names = Object.keys(context.config.assistants);
  const chosen = name ?? (names.includes('default') || names.length !== 1 ? 'default' : names[0]);
  const assistant =
    chosen && Object.hasOwn(context.config.assistants, chosen)
      ? context.config.assistants[chosen]
      : undefined;
  if (!chosen || !assistant) {
    throw new RampartError(
      'RAMPART_INVALID_REQUEST',
      `unknown assistant '${chosen ?? ''}' (known: ${names.join(', ')})`,
      { param: 'assistant' },
    );
  }
  return { name: chosen, assistant };
}

/** The session API: server-held conversations with server-side tools. */
export function registerSessions(app: FastifyInstance, context: HttpContext) {
  app.post('/v1/sessions', async (request, reply) => {
    const body = parseCreateSession(request.body);
    const { name } = assistantFor(context, body.assistant);
    const session = await context.sessions.createSession(request.principal, name, body.metadata);
    return reply.code(201).send(sessionView(session, []));
  });

  app.get<WithId>('/v1/sessions/:id', async (request) => {
    const session = await context.sessions.getSession(request.principal, request.params.id);
    return sessionView(session, session.messages);
  });

  app.delete<WithId>('/v1/sessions/:id', async (request) => {
    await context.sessions.deleteSession(request.principal, request.params.id);
    return { id: request.params.id, object: 'session.deleted', deleted: true };
  });

  app.post<WithId>('/v1/sessions/:id/messages', async (request, reply) => {
    const body = parseSendMessage(request.body);
    const deferral = readDeferralAsk(request, context.config);
    const sessionId = request.params.id;
    const abort = abortOnDisconnect(context, reply);
    const response = new SessionTurnResponse(context, reply, {
      sessionId,
      stream: body.stream,
      abort,
    });
    let earlyError: RampartError | undefined;
    let routeDown = false;
    try {
      const leaseMs = context.config.sessions.turnLeaseMs;
      await context.sessions.withTurn(request.principal, sessionId, leaseMs, async (session) => {
        const { assistant } = assistantFor(context, session.assistant);
        const user: UserMessage = { role: 'user', content: body.content };
        const prepared = await context.runtime.prepareTurn(
          sessionTurnInput({
            assistant,
            session,
            user,
            principal: request.principal,
            requestId: String(request.id),
            buffered: !body.stream,
            signal: abort.signal,
          }),
        );
        reply.headers(rateLimitHeaders(prepared.turn));
        const held = await holdUntilContent(prepared.events, SESSION_VISIBLE_EVENTS);
        // Nothing happened yet: keep the history as it was, so the client can simply retry.
        if (held.earlyError) {
          earlyError = held.earlyError;
          routeDown = prepared.turn.routeDown;
          return [];
        }
        await response.run(held, prepared);
        return storedMessages(user, prepared.turn.produced);
      });
    } catch (error) {
      if (!response.streaming) throw error;
      await response.finish(normaliseError(error));
      return;
    } finally {
      abort.release();
    }
    if (earlyError && deferral && routeDown) {
      const deferred = { sessionId, body: request.body, principal: request.principal };
      return sendDeferred(reply, context.jobs, deferral, SESSION_TURN_JOB, deferred);
    }
    if (earlyError) return sendError(reply, earlyError);
    await response.finish();
  });
}
