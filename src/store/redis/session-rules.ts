import { RampartError, type Message } from '../../core/index.js';
import { isStorableText } from '../text-rules.js';

const SESSION_ID = /^sess_[A-Za-z0-9_-]{24}$/;

/**
 * Only a well-formed id and an owner that could have been stored name a session; anything
 * else is simply not found (and never reaches a key name).
 */
export function isSessionKey(owner: string, id: string): boolean {
  return (
    typeof owner === 'string' &&
    owner !== '' &&
    isStorableText(owner) &&
    typeof id === 'string' &&
    SESSION_ID.test(id)
  );
}

export function checkMetadata(metadata: unknown): Record<string, unknown> {
  if (metadata === undefined) return {};
  if (typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)) {
    return metadata as Record<string, unknown>;
  }
  throw new RampartError('RAMPART_INVALID_REQUEST', 'Session metadata must be a JSON object.');
}

/** JSON per message; lone surrogates come out escaped, so they read back exactly. */
export function serialiseMessage(message: Message): string {
  const body = JSON.stringify(message) as string | undefined;
  if (typeof message !== 'object' || message === null || body === undefined) {
    throw new RampartError('RAMPART_INVALID_REQUEST', 'A session message must be an object.');
  }
  return body;
}
