import { RampartError, type Principal } from '../core/index.js';
import type { KeyStore } from '../store/index.js';
import { parseBearer } from './parse-bearer.js';

/** Request headers as Node and Fastify give them: lower-case names. */
export type RequestHeaders = Record<string, string | string[] | undefined>;

const MISSING_MESSAGE =
  "Missing API key. Send it as 'Authorization: Bearer <key>' or as 'x-api-key: <key>'.";
const NOT_BEARER_MESSAGE =
  "The Authorization header must use the Bearer scheme: 'Authorization: Bearer <key>'.";
const INVALID_MESSAGE = 'Invalid API key: it is unknown, revoked or malformed.';

/**
 * Finds the caller's API key and resolves it to a principal. The OpenAI SDKs send
 * `Authorization: Bearer <key>`, the Anthropic SDK sends `x-api-key: <key>`; both are accepted,
 * the Authorization header first. A refusal is returned, not thrown: `RAMPART_UNAUTHORIZED`
 * saying whether the key was missing or invalid, never echoing it.
 */
export async function authenticateRequest(
  headers: RequestHeaders,
  keyStore: KeyStore,
): Promise<Principal | RampartError> {
  const presented = presentedKey(headers);
  if (presented.kind === 'missing') return unauthorized(MISSING_MESSAGE);
  if (presented.kind === 'not-bearer') return unauthorized(NOT_BEARER_MESSAGE);

  const principal = await keyStore.authenticate(presented.key);
  return principal ?? unauthorized(INVALID_MESSAGE);
}

type PresentedKey = { kind: 'key'; key: string } | { kind: 'missing' } | { kind: 'not-bearer' };

function presentedKey(headers: RequestHeaders): PresentedKey {
  const authorization = single(headers.authorization);
  const apiKey = single(headers['x-api-key'])?.trim();
  const bearer = parseBearer(authorization);

  if (bearer !== undefined) return { kind: 'key', key: bearer };
  if (apiKey) return { kind: 'key', key: apiKey };
  if (authorization?.trim()) return { kind: 'not-bearer' };
  return { kind: 'missing' };
}

/** A repeated header is ambiguous; only its first value counts. */
function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function unauthorized(message: string): RampartError {
  return new RampartError('RAMPART_UNAUTHORIZED', message);
}
