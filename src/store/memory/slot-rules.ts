import { RampartError } from '../../core/index.js';
import { isStorableText, requireText } from '../text-rules.js';
import type { SlotRequest } from '../types.js';

/**
 * How long a user's "last served" mark outlives the user's last waiter or slot. Within it, a
 * user who comes straight back keeps their place in the fair order (behind users served less
 * recently); after it, the user counts as never served again and the mark is dropped, which
 * keeps the marks bounded by the users active in that time.
 */
export const DEFAULT_SLOT_MARK_RETENTION_MS = 60_000;

/** Refuses a request the slot stores cannot serve as asked. */
export function checkSlotRequest(pool: string, request: SlotRequest): void {
  requireText(pool, 'pool');
  requireText(request.waiter, 'waiter');
  requireText(request.user, 'user');
  requirePositive(request.limit, 'limit');
  requirePositive(request.leaseMs, 'leaseMs');
  requirePositive(request.waiterTtlMs, 'waiterTtlMs');
}

/** Refuses anything but a positive safe integer, naming the field. */
export function requirePositive(value: number, field: string): void {
  if (Number.isSafeInteger(value) && value > 0) return;
  throw new RampartError('RAMPART_INVALID_REQUEST', `${field} must be a positive integer.`);
}

/** A name (pool, slot or waiter id) that could not have been stored unaltered names nothing. */
export function isSlotName(value: string): boolean {
  return typeof value === 'string' && value !== '' && isStorableText(value);
}
