import type { FastifyRequest } from 'fastify';
import { RampartError } from '../core/errors.js';

/** The header a stateless request names its conversation in, for conversation budgets. */
export const CONVERSATION_HEADER = 'x-rampart-conversation';

const CONVERSATION_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * The conversation a stateless request says it belongs to: absent when the header is. The id is
 * the client's own and only ever counted within its user's keys, so it needs no secrecy.
 */
export function conversationIdOf(request: FastifyRequest): string | undefined {
  const value = request.headers[CONVERSATION_HEADER];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !CONVERSATION_ID.test(value)) {
    const message =
      `${CONVERSATION_HEADER} must be 1-128 letters, digits and _ . : -, ` +
      'starting with a letter or digit';
    throw new RampartError('RAMPART_INVALID_REQUEST', message, { param: CONVERSATION_HEADER });
  }
  return value;
}
