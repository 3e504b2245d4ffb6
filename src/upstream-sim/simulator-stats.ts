import type { EndedOutcome } from './response-outcome.js';

/** Counters of the simulator's API traffic (its own `/__` routes are not counted). */
export interface SimulatorStats {
  /** Requests received since start or the last reset. */
  requests: number;
  /** Requests whose response has not ended and whose socket is still open. */
  inFlight: number;
  /** The most requests in flight at once since start or the last reset. */
  peakInFlight: number;
  /** Requests the client gave up on (closed the connection) before their response ended. */
  cancelled: number;
  /** Requests received, by path. */
  byPath: Record<string, number>;
}

/** Counts requests from their start to the end of their response or the close of their socket. */
export interface StatsTracker {
  /** Records a request start; the returned function records its end (calling it twice is safe). */
  begin(path: string): (outcome: EndedOutcome) => void;
  snapshot(): SimulatorStats;
  /** Zeroes the counters; requests still in flight stay counted in `inFlight`. */
  reset(): void;
}

export function createStatsTracker(): StatsTracker {
  let requests = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  let cancelled = 0;
  let byPath = new Map<string, number>();
  return {
    begin(path) {
      requests++;
      inFlight++;
      peakInFlight = Math.max(peakInFlight, inFlight);
      byPath.set(path, (byPath.get(path) ?? 0) + 1);
      let ended = false;
      return (outcome) => {
        if (ended) return;
        ended = true;
        inFlight--;
        if (outcome === 'cancelled') cancelled++;
      };
    },
    snapshot: () => ({
      requests,
      inFlight,
      peakInFlight,
      cancelled,
      byPath: Object.fromEntries(byPath),
    }),
    reset() {
      requests = 0;
      peakInFlight = inFlight;
      cancelled = 0;
      byPath = new Map();
    },
  };
}
