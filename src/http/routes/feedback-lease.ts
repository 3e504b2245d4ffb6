import { RampartError } from '../../core/errors.js';

/** Longest a rating waits for its session's lease before answering 409. */
export const RATING_WAIT_MS = 1_000;
/** Longest single pause between two attempts at the lease. */
const MAX_PAUSE_MS = 80;

/**
 * Ratings of one session, taken one at a time in this process. A rating holds the session's
 * turn lease for a few milliseconds, so ratings sent together would otherwise turn each other
 * away with 409 although no turn is running; queued here, they never meet at the lease, and
 * only ratings from other instances (or a turn) can still be in the way.
 */
export class RatingQueue {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    let release = () => {};
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => done);
    this.tails.set(key, tail);
    try {
      await before;
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/**
 * Runs `attempt` again after a short random pause while it fails with `RAMPART_SESSION_BUSY`,
 * until `deadline` (epoch ms): another instance's rating is gone in milliseconds, while a turn
 * outlasts the wait and the last failure (409 with `Retry-After`) is what the client sees.
 * The attempt is made at least once, however late.
 */
export async function retryWhileBusy<T>(attempt: () => Promise<T>, deadline: number): Promise<T> {
  for (let round = 0; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      const pause = Math.min(jittered(round), deadline - Date.now());
      if (!isBusy(error) || pause <= 0) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/** Doubling from 5 ms up to the cap, each pause a random half to whole of it. */
function jittered(round: number): number {
  const cap = Math.min(MAX_PAUSE_MS, 5 * 2 ** round);
  return cap / 2 + (Math.random() * cap) / 2;
}

function isBusy(error: unknown): boolean {
  return error instanceof RampartError && error.code === 'RAMPART_SESSION_BUSY';
}
