import { randomBytes } from 'node:crypto';

/** A new session id: `sess_` and 24 base64url characters (144 random bits). */
export function newSessionId(): string {
  return `sess_${randomBytes(18).toString('base64url')}`;
}

/** A new turn-lease token (128 random bits). */
export function newLeaseToken(): string {
  return randomBytes(16).toString('base64url');
}
