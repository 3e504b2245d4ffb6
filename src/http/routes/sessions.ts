import type { FastifyInstance } from 'fastify';
import type { Message, UserMessage } from '../../core/conversation.js';
import { RampartError } from '../../core/errors.js';
import { parseCreateSession, parseSendMessage, sessionView } from '../../protocol/session/index.js';
import { rateLimitHeaders } from '../../limits/index.js';
import type { HttpContext } from '../context.js';
import { normaliseError, sendError } from '../error-handler.js';
import { abortOnDisconnect } from '../turn-abort.js';
import { holdUntilContent, SESSION_VISIBLE_EVENTS } from '../turn-stream.js';
import { SessionTurnResponse, turnMessages } from './session-turn.js';

type WithId = { Params: { id: string } };

function assistantFor(context: HttpContext, name: string | undefined) {
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

/**
 * What a turn adds to the history: the user's message and every step that completed. A turn
 * that completed no step leaves the history as it was, so the client can send the message again
 * without it appearing twice.
 */
function storedMessages(user: UserMessage, produced: readonly Message[]): Message[] {
  return produced.length === 0 ? [] : [user, ...produced];
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
    const sessionId = request.params.id;
    const abort = abortOnDisconnect(context, reply);
    const response = new SessionTurnResponse(context, reply, {
      sessionId,
      stream: body.stream,
      abort,
    });
    let earlyError: RampartError | undefined;
    try {
      const leaseMs = context.config.sessions.turnLeaseMs;
      await context.sessions.withTurn(request.principal, sessionId, leaseMs, async (session) => {
        const { assistant } = assistantFor(context, session.assistant);
        const user: UserMessage = { role: 'user', content: body.content };
        const prepared = await context.runtime.prepareTurn({
          requestId: String(request.id),
          principal: request.principal,
          modelName: assistant.model,
          messages: turnMessages(assistant, session.messages, user),
          options: {},
          serverTools: {
            names: assistant.tools,
            concurrency: assistant.toolConcurrency,
            timeoutMs: assistant.toolTimeoutMs,
            maxSteps: assistant.maxToolSteps,
          },
          sessionId,
          buffered: !body.stream,
          signal: abort.signal,
        });
        reply.headers(rateLimitHeaders(prepared.turn));
        const held = await holdUntilContent(prepared.events, SESSION_VISIBLE_EVENTS);
        // Nothing happened yet: keep the history as it was, so the client can simply retry.
        if (held.earlyError) {
          earlyError = held.earlyError;
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
    if (earlyError) return sendError(reply, earlyError);
    await response.finish();
  });
}
