import { RampartError } from '../core/index.js';
import { isStorableText } from './text-rules.js';
import type { SessionStatePatch } from './types.js';

/** One change of a session's state: the entry's name and its JSON, or `null` to remove it. */
export type StateChange = readonly [name: string, json: string | null];

/** Names are short identifiers: they become hash fields in Redis and JSON keys in SQLite. */
const STATE_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * Checks a state patch and turns it into changes every backend applies the same way. A value
 * that cannot be stored as JSON is refused rather than silently dropped.
 */
export function stateChanges(patch: SessionStatePatch | undefined): StateChange[] {
  if (patch === undefined) return [];
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw invalid('A session state patch must be an object.');
  }
  return Object.entries(patch).map(([name, value]): StateChange => {
    if (!STATE_NAME.test(name) || !isStorableText(name)) {
      throw invalid(`'${name.slice(0, 64)}' is not a valid session state name.`);
    }
    if (value === null) return [name, null];
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) throw invalid(`Session state '${name}' is not JSON.`);
    return [name, json];
  });
}

/** Applies changes to a state read back from storage. */
export function applyStateChanges(
  state: Record<string, unknown>,
  changes: readonly StateChange[],
): Record<string, unknown> {
  const next = { ...state };
  for (const [name, json] of changes) {
    if (json === null) delete next[name];
    else next[name] = JSON.parse(json) as unknown;
  }
  return next;
}

/** How many messages a commit replaces (`replaceLast`): a whole number, 0 when absent. */
export function checkReplaceLast(value: number | undefined): number {
  if (value === undefined || value === 0) return 0;
  if (Number.isSafeInteger(value) && value > 0) return value;
  throw invalid('replaceLast must be a whole number.');
}

function invalid(message: string): RampartError {
  return new RampartError('RAMPART_INVALID_REQUEST', message);
}
