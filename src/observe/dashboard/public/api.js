/**
 * Reads the stats and alerts API with the key the user gave. The key lives in sessionStorage: it survives a
 * reload of this tab and nothing longer, and no other site can read it.
 */

const KEY_ITEM = 'rampart.dashboard.key';

export function storedKey() {
  return sessionStorage.getItem(KEY_ITEM) ?? undefined;
}

/** @param {string} key */
export function storeKey(key) {
  sessionStorage.setItem(KEY_ITEM, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_ITEM);
}

/** The key was refused: unknown or revoked (401), or not allowed to read stats and alerts (403). */
export class KeyRefused extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** A route this server does not serve (turned off in its config). */
export class NotServed extends Error {}

/** @param {Response} response */
async function errorMessage(response) {
  try {
    const body = await response.json();
    if (typeof body?.error?.message === 'string') return body.error.message;
  } catch {
    // Not JSON: a proxy's page, say. The status says enough.
  }
  return `HTTP ${response.status}`;
}

/**
 * GETs a stats or alerts route relative to the page, so a proxy that mounts Rampart under a prefix works.
 *
 * @param {string} path e.g. `v1/stats?window=1h`
 * @param {string} key
 */
export async function getJson(path, key) {
  const response = await fetch(new URL(path, document.baseURI), {
    headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
    cache: 'no-store',
    credentials: 'omit',
  });
  if (response.ok) return response.json();
  const message = await errorMessage(response);
  if (response.status === 401 || response.status === 403) {
    throw new KeyRefused(response.status, message);
  }
  if (response.status === 404) throw new NotServed(message);
  throw new Error(`${path.split('?')[0]}: ${message}`);
}

/** What to tell the user about a refused key. @param {KeyRefused} refusal */
export function refusalMessage(refusal) {
  if (refusal.status === 403) {
    return 'This key works, but it may not read stats and alerts. The dashboard needs an admin key, or one granted stats:read and alerts:read.';
  }
  return 'This key was not accepted: it is unknown, revoked or mistyped.';
}
