import type { FastifyReply } from 'fastify';
import { RampartError } from '../core/errors.js';
import type { HttpContext } from './context.js';

/** The abort signal of one turn, and how to let go of it. */
export interface TurnAbort {
  signal: AbortSignal;
  release(): void;
}

/**
 * Ties a turn to its client: when the client goes away before the response is complete, the
 * upstream call and running tools are aborted at once, so nothing keeps costing money.
 */
export function abortOnDisconnect(context: HttpContext, reply: FastifyReply): TurnAbort {
  if (context.lifecycle.draining) {
    const message = 'The server is shutting down; retry on another instance.';
    throw new RampartError('RAMPART_SHUTTING_DOWN', message, { retryAfterSeconds: 1 });
  }
  const controller = new AbortController();
  const untrack = context.activeTurns.track(controller);
  const onClose = () => {
    if (!reply.raw.writableFinished) {
      controller.abort(
        new RampartError('RAMPART_CLIENT_CLOSED', 'the client closed the connection'),
      );
    }
  };
  reply.raw.on('close', onClose);
  return {
    signal: controller.signal,
    release() {
      untrack();
      reply.raw.off('close', onClose);
    },
  };
}
