import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from the operating system at a time: enough for a few hundred ids. */
const POOL_BYTES = 4_096;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

/**
 * `bytes` random bytes as base64url, for identifiers (request, completion and turn ids): unique
 * and unguessable, not secret keys. Every request takes three, and one `randomBytes` call each
 * was a visible share of a request's CPU; the bytes now come from a pool the cryptographic
 * generator refills a few kilobytes at a time, as Node does for `randomUUID`. Each byte is used
 * once.
 */
export function randomId(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 256) {
    throw new RangeError(`randomId takes 1 to 256 bytes, not ${bytes}`);
  }
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const id = pool.toString('base64url', used, used + bytes);
  used += bytes;
  return id;
}
