import type { Turn, TurnStage } from '../../../runtime/index.js';

/**
 * A turn stage that keeps every settled turn, so a test can work out what the stats must say
 * from the same facts the telemetry stage reports. The turns are the live objects: by the time
 * a test reads them, accounting has settled their cost too.
 */
export function captureStage(seen: Turn[]): TurnStage {
  return {
    name: 'test-capture',
    settle(turn) {
      seen.push(turn);
    },
  };
}
