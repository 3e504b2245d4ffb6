import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  buildChatCompletion,
  createChatChunkEncoder,
  parseChatCompletionRequest,
} from '../../protocol/openai/index.js';
import type { Turn } from '../../runtime/index.js';
import { collectTurn, isModelEvent, newCompletionIdentity } from '../chat-turn.js';
import { answerHeaders, openClientTurn } from '../client-turn.js';
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
import { replay, type HeldTurn } from '../turn-stream.js';

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

/** `POST /v1/chat/completions`: OpenAI-compatible, streaming and not, client-side tools. */
export function registerChatCompletions(app: FastifyInstance, context: HttpContext) {
  app.post('/v1/chat/completions', async (request, reply) => {
    const parsed = parseChatCompletionRequest(request.body);
    const deferral = readDeferralAsk(request, context.config);
    const abort = abortOnDisconnect(context, reply);
    try {
      const { prepared, held, conversationId, traceContext } = await openClientTurn({
        context,
        request,
        reply,
        parsed,
        signal: abort.signal,
      });
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
