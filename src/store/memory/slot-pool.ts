import type { Slot, SlotRequest } from '../types.js';

interface HeldSlot {
  expiresAt: number;
  user: string;
}

interface Waiter {
  user: string;
  expiresAt: number;
}

/**
 * One pool's slots and line, as the `SlotStore` contract describes them. A granted slot's id is
 * its waiter's id, so a waiter that asks again (its answer was lost) gets the same slot back
 * instead of a second one. The Redis scripts keep the same state in sorted sets and hashes.
 */
export class SlotPool {
  private readonly held = new Map<string, HeldSlot>();
  /** In arrival order: a waiter that asks again keeps its entry, and so its place. */
  private readonly waiters = new Map<string, Waiter>();
  /** user → the serve counter when the user was last granted a slot. */
  private readonly served = new Map<string, number>();
  /** user → when the user last waited, was granted, renewed or released. */
  private readonly seen = new Map<string, number>();
  private serves = 0;

  constructor(private readonly markRetentionMs: number) {}

  acquire(request: SlotRequest, now: number): Slot | undefined {
    this.purge(now);
    const mine = this.held.get(request.waiter);
    if (mine !== undefined) return { id: request.waiter, expiresAt: mine.expiresAt };

    this.register(request, now);
    let slot: Slot | undefined;
    if (this.held.size < request.limit && this.head() === request.waiter) {
      slot = this.grant(request, now);
    }
    this.forget(now);
    return slot;
  }

  release(slotId: string, now: number): boolean {
    this.purge(now);
    const slot = this.held.get(slotId);
    if (slot === undefined) return false;
    this.held.delete(slotId);
    this.seen.set(slot.user, now);
    return true;
  }

  renew(slotId: string, leaseMs: number, now: number): boolean {
    this.purge(now);
    const slot = this.held.get(slotId);
    if (slot === undefined) return false;
    slot.expiresAt = now + leaseMs;
    this.seen.set(slot.user, now);
    return true;
  }

  leave(waiter: string): void {
    this.waiters.delete(waiter);
    // A slot's id is its waiter's: a waiter that leaves gives back a slot granted to it late.
    this.held.delete(waiter);
  }

  inUse(now: number): number {
    this.purge(now);
    return this.held.size;
  }

  /** Drops what has expired and the marks of users gone for a while. */
  tidy(now: number): void {
    this.purge(now);
    this.forget(now);
  }

  /** Nothing held, nobody waiting and no marks left: the pool can be dropped. */
  isIdle(): boolean {
    return this.held.size === 0 && this.waiters.size === 0 && this.served.size === 0;
  }

  private purge(now: number): void {
    for (const [id, slot] of this.held) if (slot.expiresAt <= now) this.held.delete(id);
    for (const [id, waiter] of this.waiters) if (waiter.expiresAt <= now) this.waiters.delete(id);
  }

  private register(request: SlotRequest, now: number): void {
    const expiresAt = now + request.waiterTtlMs;
    const known = this.waiters.get(request.waiter);
    if (known === undefined) this.waiters.set(request.waiter, { user: request.user, expiresAt });
    else known.expiresAt = expiresAt;
    this.seen.set(request.user, now);
  }

  /**
   * The waiter whose turn it is: of the waiting users, the one served least recently (never
   * served comes first, ties to the user with the oldest waiter), and that user's oldest waiter.
   * Walking in arrival order, the first waiter with the lowest mark is exactly that one.
   */
  private head(): string | undefined {
    let best: string | undefined;
    let bestMark = Infinity;
    for (const [id, waiter] of this.waiters) {
      const mark = this.served.get(waiter.user) ?? -Infinity;
      if (mark === -Infinity) return id;
      if (mark < bestMark) [best, bestMark] = [id, mark];
    }
    return best;
  }

  private grant(request: SlotRequest, now: number): Slot {
    const expiresAt = now + request.leaseMs;
    this.waiters.delete(request.waiter);
    this.held.set(request.waiter, { expiresAt, user: request.user });
    this.serves += 1;
    this.served.set(request.user, this.serves);
    return { id: request.waiter, expiresAt };
  }

  /** Drops the marks of users with no waiter and no slot who have not been seen for a while. */
  private forget(now: number): void {
    for (const [user, at] of this.seen) {
      if (at > now - this.markRetentionMs) continue;
      if (this.isActive(user)) {
        this.seen.set(user, now);
        continue;
      }
      this.seen.delete(user);
      this.served.delete(user);
    }
  }

  private isActive(user: string): boolean {
    for (const slot of this.held.values()) if (slot.user === user) return true;
    for (const waiter of this.waiters.values()) if (waiter.user === user) return true;
    return false;
  }
}
