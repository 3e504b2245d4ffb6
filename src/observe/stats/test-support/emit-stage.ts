import type { Turn, TurnStage } from '../../../runtime/index.js';
import type { Telemetry } from '../../telemetry.js';

/**
 * A turn stage that reports each settled turn to the hub, standing in for the settle stage the
 * app wires; `seen` collects the turns so a test can compute what the stats must say. It
 * settles before accounting (extra stages settle first), so the turns carry no cost yet.
 */
export function emitStage(telemetry: Telemetry, seen: Turn[] = []): TurnStage {
  return {
    name: 'test-telemetry',
    settle(turn) {
      seen.push(turn);
      telemetry.emit({
        type: 'turn',
        at: telemetry.now(),
        turn,
        streamed: turn.input.buffered !== true,
        retry: false,
      });
    },
  };
}
