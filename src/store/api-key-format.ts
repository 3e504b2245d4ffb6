import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys look like `rk_<id>_<secret>`: a 16-hex-character public id, used to find the stored
 * record, and 32 random bytes in base64url. Only the SHA-256 of the whole key is stored. A fast
 * hash is right here: the key has 256 bits of entropy, so there is nothing to guess by brute force.
 */
const KEY_PATTERN = /^rk_([0-9a-f]{16})_[A-Za-z0-9_-]{43}$/;

export interface GeneratedApiKey {
  id: string;
  key: string;
  hash: Buffer;
}

export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(8).toString('hex');
  const key = `rk_${id}_${randomBytes(32).toString('base64url')}`;
  return { id, key, hash: hashApiKey(key) };
}

/** The key id of a well-formed key, or `undefined`; checked before any lookup. */
export function parseApiKeyId(key: string): string | undefined {
  if (typeof key !== 'string' || key.length > 80) return undefined;
  return KEY_PATTERN.exec(key)?.[1];
}

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** Compares a presented key with a stored hash in constant time. */
export function apiKeyMatches(key: string, storedHash: Uint8Array): boolean {
  const presented = hashApiKey(key);
  return presented.length === storedHash.length && timingSafeEqual(presented, storedHash);
}
