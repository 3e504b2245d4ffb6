import type { FastifyInstance } from 'fastify';
import type { UserMessage } from '../../core/conversation.js';
import { RampartError } from '../../core/errors.js';
import {
  parseCreateSession,
  parseSendMessage,
  parseToolDecisions,
  sessionView,
} from '../../protocol/session/index.js';
import { pendingToolCalls } from '../../sessions/index.js';
import type { HttpContext } from '../context.js';
import { readDeferralAsk } from '../jobs/deferral.js';
import { registerFeedback } from './feedback.js';
import { auditDeclined, planNewMessage, resumeFrom } from './pending-decisions.js';
import { sessionTurnInput } from './session-turn.js';
import { serveSessionTurn } from './session-turn-route.js';

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
    return sessionView(session, session.messages, pendingToolCalls(session.messages));
  });

  app.delete<WithId>('/v1/sessions/:id', async (request) => {
    const { principal } = request;
    const deleted = await context.sessions.deleteSession(principal, request.params.id);
    // Calls that waited for approval will never run: the audit log says so, as for a decline.
    await auditDeclined(context, pendingToolCalls(deleted.messages), {
      principal,
      sessionId: deleted.id,
      requestId: request.id,
      reason: 'the session was deleted while the call waited for approval',
    });
    return { id: request.params.id, object: 'session.deleted', deleted: true };
  });

  app.post<WithId>('/v1/sessions/:id/messages', async (request, reply) => {
    const body = parseSendMessage(request.body);
    const deferral = readDeferralAsk(request, context.config);
    const user: UserMessage = { role: 'user', content: body.content };
    return serveSessionTurn(context, request, reply, {
      stream: body.stream,
      deferral,
      plan: (session, signal) => {
        const { assistant } = assistantFor(context, session.assistant);
        const requestId = String(request.id);
        const planned = planNewMessage(context, request.principal, session, user, requestId);
        const input = sessionTurnInput({
          assistant,
          session,
          ...(planned.user ? { user: planned.user } : {}),
          before: planned.before,
          declined: planned.declined,
          principal: request.principal,
          requestId,
          buffered: !body.stream,
          signal,
        });
        return { input, stored: planned.stored, committed: planned.committed };
      },
    });
  });

  app.post<WithId>('/v1/sessions/:id/tool-decisions', async (request, reply) => {
    const body = parseToolDecisions(request.body);
    return serveSessionTurn(context, request, reply, {
      stream: body.stream,
      deferral: undefined,
      plan: (session, signal) => {
        const { assistant } = assistantFor(context, session.assistant);
        const resume = resumeFrom(session.messages, body.decisions);
        const input = sessionTurnInput({
          assistant,
          session,
          resume,
          principal: request.principal,
          requestId: String(request.id),
          buffered: !body.stream,
          signal,
        });
        const refused = pendingToolCalls(session.messages).filter(
          (call) => !resume.approved.has(call.id),
        );
        const about = {
          principal: request.principal,
          sessionId: session.id,
          requestId: String(request.id),
          reason: 'the user declined the call',
        };
        // Decisions always store their results: the pause is over, whatever the model did next.
        return {
          input,
          stored: (produced) => [...produced],
          committed: () => auditDeclined(context, refused, about),
        };
      },
    });
  });

  registerFeedback(app, context);
}
