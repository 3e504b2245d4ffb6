import type { Verdict } from './judge.js';

/** Where one subject stands between evaluations. */
export type Phase =
  | { name: 'normal' }
  | { name: 'breaching'; since: number }
  | { name: 'open'; alertId: string; seenAt: number }
  | { name: 'clearing'; alertId: string; since: number; seenAt: number };

export interface Timing {
  /** A breach must last this long before the alert opens. */
  sustainMs: number;
  /** Calm must last this long before the alert resolves. */
  clearMs: number;
  /** An open alert with no verdict but `unknown` for this long resolves. */
  noDataMs: number;
}

/** What the evaluator must do after a step. */
export type Action = 'open' | 'resolve' | 'resolve-no-data' | undefined;

/**
 * The alert state machine of one subject. A breach starts the clock; anything but calm or a
 * gap in the data keeps it running (a value hovering just under the line does not restart
 * it), and a breach once the sustain time has passed opens the alert. An open alert clears
 * after calm has lasted the clear time without a single breach or hold in between.
 */
export function step(phase: Phase, verdict: Verdict, now: number, timing: Timing) {
  const seenAt = verdict === 'unknown' ? undefined : now;
  switch (phase.name) {
    case 'normal':
      return verdict === 'breach' ? next({ name: 'breaching', since: now }) : next(phase);
    case 'breaching':
      if (verdict === 'calm' || verdict === 'unknown') return next({ name: 'normal' });
      return next(phase, verdict === 'breach' && now - phase.since >= timing.sustainMs);
    case 'open': {
      const lastSeen = seenAt ?? phase.seenAt;
      if (verdict === 'unknown' && now - lastSeen >= timing.noDataMs) return noData();
      if (verdict !== 'calm') return next({ ...phase, seenAt: lastSeen });
      return next({ name: 'clearing', alertId: phase.alertId, since: now, seenAt: now });
    }
    case 'clearing': {
      const { alertId } = phase;
      const lastSeen = seenAt ?? phase.seenAt;
      if (verdict === 'unknown' && now - lastSeen >= timing.noDataMs) return noData();
      if (verdict === 'breach' || verdict === 'hold')
        return next({ name: 'open', alertId, seenAt: now });
      if (verdict === 'calm' && now - phase.since >= timing.clearMs) return resolve();
      return next({ ...phase, seenAt: lastSeen });
    }
  }
}

function next(phase: Phase, open = false): { phase: Phase; action: Action } {
  return { phase, action: open ? 'open' : undefined };
}

function resolve(): { phase: Phase; action: Action } {
  return { phase: { name: 'normal' }, action: 'resolve' };
}

function noData(): { phase: Phase; action: Action } {
  return { phase: { name: 'normal' }, action: 'resolve-no-data' };
}
