import type { FastifyInstance } from 'fastify';
import type { Message } from '../../core/conversation.js';
import { RampartError } from '../../core/errors.js';
import {
  FEEDBACK_STATE,
  latestRating,
  readFeedback,
  withRating,
  type Rating,
} from '../../cost/index.js';
import { parseFeedback } from '../../protocol/session/index.js';
import type { HttpContext } from '../context.js';
import { RATING_WAIT_MS, RatingQueue, retryWhileBusy } from './feedback-lease.js';

type WithId = { Params: { id: string } };

/**
 * `POST /v1/sessions/{id}/feedback`: rates one assistant message of a session. The rating goes
 * into the session's state under the session's turn lease, so it is never lost to a turn
 * committing at the same moment, and the next turn's router sees a down-rating as a signal.
 * Ratings wait briefly for each other; a session still busy with a turn after
 * `RATING_WAIT_MS` answers 409 with `Retry-After`.
 */
export function registerFeedback(app: FastifyInstance, context: HttpContext) {
  const queue = new RatingQueue();
  app.post<WithId>('/v1/sessions/:id/feedback', async (request, reply) => {
    const deadline = Date.now() + RATING_WAIT_MS;
    const body = parseFeedback(request.body);
    const sessionId = request.params.id;
    const rating: Omit<Rating, 'seq'> = {
      index: body.message_index,
      rating: body.rating,
      ...(body.comment === undefined ? {} : { comment: body.comment }),
      at: new Date().toISOString(),
    };
    const leaseMs = context.config.sessions.turnLeaseMs;
    // Whether this rating changes what the message stood at: the same rating sent again is not
    // another rating, and must not count twice in the satisfaction signals.
    let changed = false;
    const store = () =>
      context.sessions.withTurn(request.principal, sessionId, leaseMs, async (session) => {
        checkRated(session.messages, rating.index);
        const before = readFeedback(session.state);
        // Read from the standings, which outlast the kept ratings: a message rated long ago and
        // rated the same again still counts once.
        changed = latestRating(before, rating.index) !== rating.rating;
        const feedback = withRating(before, rating);
        return { messages: [], state: { [FEEDBACK_STATE]: feedback } };
      });
    // Keyed by owner too: two users naming the same id must not queue behind each other.
    const key = JSON.stringify([request.principal.userId, sessionId]);
    await queue.run(key, () => retryWhileBusy(store, deadline));
    if (changed) {
      const { telemetry } = context;
      const hasComment = rating.comment !== undefined;
      telemetry.emit({ type: 'feedback', at: telemetry.now(), rating: rating.rating, hasComment });
    }
    // The comment is the user's words: the log says only that there was one, and how long.
    context.logger.info(
      {
        requestId: request.id,
        userId: request.principal.userId,
        sessionId,
        messageIndex: rating.index,
        rating: rating.rating,
        // Counted as the limit counts them: by code point, not UTF-16 unit.
        commentChars: rating.comment === undefined ? 0 : [...rating.comment].length,
      },
      'answer rated',
    );
    return reply.code(201).send({
      object: 'session.feedback',
      session_id: sessionId,
      message_index: rating.index,
      rating: rating.rating,
      comment: rating.comment ?? null,
      created_at: Math.floor(Date.parse(rating.at) / 1000),
    });
  });
}

function checkRated(messages: readonly Message[], index: number) {
  const message = messages[index];
  if (message === undefined) {
    const range =
      messages.length === 0 ? 'the session has no messages' : `0..${messages.length - 1}`;
    throw invalidIndex(`message ${index} does not exist (${range})`);
  }
  if (message.role !== 'assistant') {
    throw invalidIndex(
      `message ${index} is a ${message.role} message; only assistant messages can be rated`,
    );
  }
  if (message.content.length === 0) {
    // A step that only asked for tool calls is not an answer the user read.
    throw invalidIndex(`message ${index} only asks for tool calls; rate the answer that followed`);
  }
}

function invalidIndex(reason: string): RampartError {
  return new RampartError('RAMPART_INVALID_REQUEST', `Invalid 'message_index': ${reason}.`, {
    param: 'message_index',
  });
}
