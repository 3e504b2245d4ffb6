import type { Message } from '../../core/index.js';
import type { TurnLease } from '../types.js';

/** A lease long enough that no test outlives it. */
export const LEASE = { leaseMs: 30_000 };

export const hello: Message = { role: 'user', content: [{ type: 'text', text: 'hello' }] };
export const reply: Message = {
  role: 'assistant',
  content: [{ type: 'text', text: 'hi' }],
  toolCalls: [],
};

/** The lease of a `beginTurn` outcome; throws when the turn was refused. */
export function leaseOf(outcome: unknown): TurnLease {
  if (typeof outcome !== 'object' || outcome === null)
    throw new Error(`no lease: ${String(outcome)}`);
  return outcome as TurnLease;
}
