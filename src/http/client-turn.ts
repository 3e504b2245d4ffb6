import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerValue } from '../core/index.js';
import { budgetHeaders } from '../cost/index.js';
import { rateLimitHeaders } from '../limits/index.js';
import type { PreparedTurn, Turn } from '../runtime/index.js';
import { chatTurnInput, type ClientRequest } from './chat-turn.js';
import type { HttpContext } from './context.js';
import { conversationIdOf } from './conversation-header.js';
import { routeHeaders } from './route-header.js';
import { nameTrace, traceContextOf } from './trace-context.js';
import { CHAT_VISIBLE_EVENTS, holdUntilContent, type HeldTurn } from './turn-stream.js';

/** A client-format turn started and read up to its first visible event. */
export interface OpenedTurn {
  prepared: PreparedTurn;
  held: HeldTurn;
  conversationId: string | undefined;
  traceContext: ReturnType<typeof traceContextOf>;
}

/**
 * What `/v1/chat/completions` and `/v1/messages` do alike before the answer's wire format
 * matters: build the turn from the request and its headers, start it, and hold it until its
 * first content, setting the rate-limit, budget and route headers as each becomes known.
 */
export async function openClientTurn(options: {
  context: HttpContext;
  request: FastifyRequest;
  reply: FastifyReply;
  parsed: ClientRequest;
  signal: AbortSignal;
}): Promise<OpenedTurn> {
  const { context, request, reply, parsed, signal } = options;
  const input = chatTurnInput(parsed, request.principal, String(request.id), signal);
  const conversationId = conversationIdOf(request);
  if (conversationId !== undefined) input.conversationId = conversationId;
  const traceContext = traceContextOf(request);
  if (traceContext) input.traceContext = traceContext;
  if (request.routeOptions.url) input.httpRoute = request.routeOptions.url;
  const prepared = await context.runtime.prepareTurn(input, nameTrace(reply));
  reply.headers(rateLimitHeaders(prepared.turn));
  const held = await holdUntilContent(prepared.events, CHAT_VISIBLE_EVENTS);
  reply.headers(budgetHeaders(prepared.turn));
  // After the first step: a budget may have moved the turn to another model.
  reply.headers(routeHeaders(prepared.turn));
  return { prepared, held, conversationId, traceContext };
}

/** Headers that say where the answer came from; known once the first content is in. */
export function answerHeaders(turn: Turn): Record<string, string> {
  if (turn.degraded) return { 'x-rampart-degraded': turn.degraded.source };
  return turn.servedBy ? { 'x-rampart-served-by': headerValue(turn.servedBy.id) } : {};
}
