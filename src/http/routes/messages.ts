import type { FastifyInstance, FastifyReply } from 'fastify';
import { randomId } from '../../core/random-id.js';
import {
  buildMessage,
  createMessagesEventEncoder,
  parseMessagesRequest,
  pingEvent,
  type MessagesSseEvent,
} from '../../protocol/anthropic/index.js';
import type { Turn } from '../../runtime/index.js';
import { collectTurn, isModelEvent } from '../chat-turn.js';
import { answerHeaders, openClientTurn } from '../client-turn.js';
import type { HttpContext } from '../context.js';
import { sendError } from '../error-handler.js';
import { openEventStream, type SseWriter } from '../sse-writer.js';
import { abortOnDisconnect } from '../turn-abort.js';
import { replay, type HeldTurn } from '../turn-stream.js';

interface MessageIdentity {
  id: string;
  /** The model name the client asked for, as Anthropic echoes it. */
  model: string;
}

async function sendMessage(
  reply: FastifyReply,
  held: HeldTurn,
  identity: MessageIdentity,
  turn: Turn,
) {
  const response = await collectTurn(replay(held));
  if (response.error) return sendError(reply, response.error);
  const body: ReturnType<typeof buildMessage> & { rampart?: unknown } = buildMessage(
    identity,
    response,
  );
  // As on chat completions: an extra field, ignored by Anthropic clients, says this was no live
  // answer.
  if (turn.degraded) {
    body.rampart = { degraded: turn.degraded.source, stored_at: turn.degraded.storedAt };
  }
  return reply.send(body);
}

async function sendEvents(writer: SseWriter, events: MessagesSseEvent[]) {
  for (const { event, data } of events) await writer.send(data, event);
}

/**
 * Streams Anthropic's events. The prompt's token count is not known when `message_start` goes
 * out (providers report usage at the end), so it says 0 there and the true count comes in
 * `message_delta`, whose counts Anthropic's SDKs take as the message's totals.
 */
async function streamEvents(
  context: HttpContext,
  reply: FastifyReply,
  held: HeldTurn,
  identity: MessageIdentity,
) {
  const encoder = createMessagesEventEncoder({
    ...identity,
    withCode: true,
    checkToolInputs: true,
  });
  const writer = openEventStream(reply, context.config.server);
  let pinged = false;
  try {
    for await (const event of replay(held)) {
      if (!isModelEvent(event)) continue;
      const events = encoder.encode(event);
      if (!pinged && events.length > 0) {
        // Anthropic sends a `ping` right after `message_start`, and its clients accept one there.
        pinged = true;
        events.splice(1, 0, pingEvent());
      }
      await sendEvents(writer, events);
    }
    // A stream that stopped without its end gets an `error` event, never a made-up `message_stop`.
    await sendEvents(writer, encoder.finish());
  } finally {
    writer.end();
  }
}

/**
 * `POST /v1/messages`: Anthropic-compatible, streaming and not, client-side tools. The same turn
 * as a chat completion (guards, budgets, routing, fallback, accounting), in Anthropic's wire
 * format, errors included.
 */
export function registerMessages(app: FastifyInstance, context: HttpContext) {
  app.post('/v1/messages', { config: { errorShape: 'anthropic' } }, async (request, reply) => {
    const parsed = parseMessagesRequest(request.body);
    const abort = abortOnDisconnect(context, reply);
    try {
      const { prepared, held } = await openClientTurn({
        context,
        request,
        reply,
        parsed,
        signal: abort.signal,
      });
      if (held.earlyError) return await sendError(reply, held.earlyError);
      reply.headers(answerHeaders(prepared.turn));
      const identity = { id: `msg_${randomId(12)}`, model: parsed.model };
      if (!parsed.stream) return await sendMessage(reply, held, identity, prepared.turn);
      await streamEvents(context, reply, held, identity);
    } finally {
      abort.release();
    }
  });
}
