import { RampartError } from '../core/index.js';
import type { CreateApiKeyInput } from './types.js';

// With the `u` flag a valid surrogate pair is one code point, so only lone halves match.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Identity strings (owner, user id, assistant, label) are stored as UTF-8 text, where a lone
 * UTF-16 surrogate has no valid encoding: SQLite keeps odd bytes that read back as U+FFFD, and
 * PostgreSQL refuses them. Such strings are refused up front instead of being silently changed.
 * Free-form data (messages, metadata) is stored as JSON, which escapes them and returns them
 * exactly.
 */
export function requireText(value: unknown, field: string, options: { optional?: boolean } = {}) {
  if (value === undefined && options.optional === true) return;
  if (typeof value !== 'string' || value === '') {
    throw new RampartError('RAMPART_INVALID_REQUEST', `${field} must be a non-empty string.`);
  }
  if (LONE_SURROGATE.test(value)) {
    throw new RampartError('RAMPART_INVALID_REQUEST', `${field} is not well-formed Unicode.`);
  }
}

/** True when a string can be stored and read back as the same string. */
export function isStorableText(value: string): boolean {
  return typeof value === 'string' && !LONE_SURROGATE.test(value);
}

/** Refuses a new key's identity fields that no backend could store and return exactly. */
export function checkApiKeyInput(input: CreateApiKeyInput): void {
  requireText(input.userId, 'userId');
  requireText(input.role, 'role');
  requireText(input.tier, 'tier');
  requireText(input.label, 'label', { optional: true });
  requireText(input.team, 'team', { optional: true });
  // A team is matched against budget selectors in config: a short name, no control characters.
  if (input.team !== undefined && !/^[^\p{Cc}]{1,128}$/u.test(input.team)) {
    throw new RampartError('RAMPART_INVALID_REQUEST', 'team must be 1-128 printable characters.');
  }
  if (!Array.isArray(input.permissions)) {
    throw new RampartError('RAMPART_INVALID_REQUEST', 'permissions must be an array of strings.');
  }
  for (const permission of input.permissions) requireText(permission, 'permission');
}
