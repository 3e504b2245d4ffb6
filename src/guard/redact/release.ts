import type { Candidate } from './types.js';

/** Inputs for {@link settleHold}. */
export interface SettleInput {
  candidates: readonly Candidate[];
  /** The hold the tail rules chose. */
  hold: number;
  length: number;
  /** No more text will come: nothing needs to wait. */
  final: boolean;
}

/**
 * Moves the hold back until no candidate straddles it, none before it is still open, and each
 * has the characters after it that its decision reads. A candidate split by a cut could be
 * decided differently from the whole text, so it is held whole.
 */
export function settleHold({ candidates, hold, length, final }: SettleInput): number {
  let settled = hold;
  let moved = true;
  while (moved) {
    moved = false;
    for (const candidate of candidates) {
      if (candidate.start >= settled) continue;
      const waiting =
        !final &&
        (candidate.open === true || candidate.end + Math.max(1, candidate.after) > length);
      if (candidate.end > settled || waiting) {
        settled = candidate.start;
        moved = true;
      }
    }
  }
  return settled;
}
