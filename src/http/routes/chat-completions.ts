import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  buildChatCompletion,
  createChatChunkEncoder,
  parseChatCompletionRequest,
} from '../../protocol/openai/index.js';
import type { PreparedTurn, Turn } from '../../runtime/index.js';
import { budgetHeaders } from '../../cost/index.js';
import { rateLimitHeaders } from '../../limits/index.js';
import { conversationIdOf } from '../conversation-header.js';
import { routeHeaders } from '../route-header.js';
import { nameTrace, traceContextOf } from '../trace-context.js';
import { chatTurnInput, collectTurn, isModelEvent, newCompletionIdentity } from '../chat-turn.js';
import type { HttpContext } from '../context.js';
import { sendError } from '../error-handler.js';
import {
  CHAT_COMPLETION_JOB,
  deferredTraceContext,
  readDeferralAsk,
  sendDeferred,
  type DeferredChatRequest,
} from '../jobs/deferral.js';
import { openEventStream } from '../sse-writer.js';
import { abortOnDisconnect } from '../turn-abort.js';
import { CHAT_VISIBLE_EVENTS, holdUntilContent, replay, type HeldTurn } from '../turn-stream.js';

interface CompletionIdentity {
  id: string;
  model: string;
  created: number;
}

async function sendCollected(
  reply: FastifyReply,
  held: HeldTurn,
  identity: CompletionIdentity,
  turn: Turn,
) {
  const response = await collectTurn(replay(held));
  if (response.error) return sendError(reply, response.error);
  const body = buildChatCompletion(identity, response);
  // Extra top-level fields are ignored by OpenAI clients, and say plainly this was no live answer.
  if (turn.degraded) {
    body.rampart = { degraded: turn.degraded.source, stored_at: turn.degraded.storedAt };
  }
  return reply.send(body);
}

async function streamChunks(
  context: HttpContext,
  reply: FastifyReply,
  held: HeldTurn,
  options: CompletionIdentity & { includeUsage: boolean },
) {
  const encoder = createChatChunkEncoder(options);
  const writer = openEventStream(reply, context.config.server);
  let failed = false;
  try {
    for await (const event of replay(held)) {
      if (!isModelEvent(event)) continue;
      if (event.type === 'error') failed = true;
      for (const payload of encoder.encode(event)) await writer.send(payload);
    }
    // A failed stream ends on its error event: no usage chunk, no [DONE] that would mark it whole.
    if (!failed) for (const payload of encoder.finish()) await writer.send(payload);
  } finally {
    writer.end();
  }
}

/** Headers that say where the answer came from; known once the first content is in. */
function answerHeaders(turn: Turn): Record<string, string> {
  if (turn.degraded) return { 'x-rampart-degraded': turn.degraded.source };
  return turn.servedBy ? { 'x-rampart-served-by': turn.servedBy.id } : {};
}

/** `POST /v1/chat/completions`: OpenAI-compatible, streaming and not, client-side tools. */
export function registerChatCompletions(app: FastifyInstance, context: HttpContext) {
  app.post('/v1/chat/completions', async (request, reply) => {
    const parsed = parseChatCompletionRequest(request.body);
    const deferral = readDeferralAsk(request, context.config);
    const abort = abortOnDisconnect(context, reply);
    try {
      const input = chatTurnInput(parsed, request.principal, String(request.id), abort.signal);
      const conversationId = conversationIdOf(request);
      if (conversationId !== undefined) input.conversationId = conversationId;
      const traceContext = traceContextOf(request);
      if (traceContext) input.traceContext = traceContext;
      input.httpRoute = request.routeOptions.url ?? '/v1/chat/completions';
      const prepared: PreparedTurn = await context.runtime.prepareTurn(input, nameTrace(reply));
      reply.headers(rateLimitHeaders(prepared.turn));
      const held = await holdUntilContent(prepared.events, CHAT_VISIBLE_EVENTS);
      reply.headers(budgetHeaders(prepared.turn));
      // After the first step: a budget may have moved the turn to another model.
      reply.headers(routeHeaders(prepared.turn));
      if (held.earlyError) {
        if (deferral && prepared.turn.routeDown) {
          // The conversation goes with the job, so its budgets count the answer when it runs.
          const deferred: DeferredChatRequest = {
            body: request.body,
            principal: request.principal,
          };
          if (conversationId !== undefined) deferred.conversationId = conversationId;
          const carried = deferredTraceContext(prepared.handOnTrace?.(), traceContext);
          if (carried) deferred.traceContext = carried;
          return await sendDeferred(reply, context.jobs, deferral, CHAT_COMPLETION_JOB, deferred);
        }
        return await sendError(reply, held.earlyError);
      }
      reply.headers(answerHeaders(prepared.turn));
      const identity = newCompletionIdentity(parsed.model);
      if (!parsed.stream) return await sendCollected(reply, held, identity, prepared.turn);
      await streamChunks(context, reply, held, { ...identity, includeUsage: parsed.includeUsage });
    } finally {
      abort.release();
    }
  });
}
