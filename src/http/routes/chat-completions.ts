import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ResponseCollector } from '../../core/collect.js';
import type { ModelEvent } from '../../core/events.js';
import {
  buildChatCompletion,
  createChatChunkEncoder,
  parseChatCompletionRequest,
} from '../../protocol/openai/index.js';
import type { PreparedTurn, TurnEvent } from '../../runtime/index.js';
import { rateLimitHeaders } from '../../limits/index.js';
import type { HttpContext } from '../context.js';
import { sendError } from '../error-handler.js';
import { openEventStream } from '../sse-writer.js';
import { abortOnDisconnect } from '../turn-abort.js';
import { CHAT_VISIBLE_EVENTS, holdUntilContent, replay, type HeldTurn } from '../turn-stream.js';

function isModelEvent(event: TurnEvent): event is ModelEvent {
  return event.type !== 'tool-start' && event.type !== 'tool-end' && event.type !== 'step-start';
}

interface CompletionIdentity {
  id: string;
  model: string;
  created: number;
}

async function sendCollected(reply: FastifyReply, held: HeldTurn, identity: CompletionIdentity) {
  const collector = new ResponseCollector();
  for await (const event of replay(held)) if (isModelEvent(event)) collector.add(event);
  const response = collector.result();
  if (response.error) return sendError(reply, response.error);
  return reply.send(buildChatCompletion(identity, response));
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
    const abort = abortOnDisconnect(context, reply);
    try {
      const { tools, messages, ...options } = parsed.request;
      const prepared: PreparedTurn = await context.runtime.prepareTurn({
        requestId: String(request.id),
        principal: request.principal,
        modelName: parsed.model,
        messages,
        options,
        clientTools: tools,
        signal: abort.signal,
      });
      reply.headers(rateLimitHeaders(prepared.turn));
      const held = await holdUntilContent(prepared.events, CHAT_VISIBLE_EVENTS);
      if (held.earlyError) return await sendError(reply, held.earlyError);
      const identity = {
        id: `chatcmpl-${randomBytes(12).toString('base64url')}`,
        model: parsed.model,
        created: Math.floor(Date.now() / 1000),
      };
      if (!parsed.stream) return await sendCollected(reply, held, identity);
      await streamChunks(context, reply, held, { ...identity, includeUsage: parsed.includeUsage });
    } finally {
      abort.release();
    }
  });
}
