import type { TurnStage } from '../runtime/stage.js';
import type { ConversationTracker } from './conversations/conversation-tracker.js';
import type { Telemetry } from './telemetry.js';

/**
 * Reports every turn to the telemetry hub once it has settled. Placed first among the stages it
 * settles after them all, accounting included, so the facts it reports are final (cost too).
 */
export function telemetryStage(options: {
  telemetry: Telemetry;
  conversations: ConversationTracker;
}): TurnStage {
  const { telemetry, conversations } = options;
  return {
    name: 'telemetry',
    settle(turn) {
      // Conversations are followed only for the sinks; with none, there is nothing to report.
      if (!telemetry.listened) return;
      const at = telemetry.now();
      const retry = conversations.record(turn, at);
      telemetry.emit({ type: 'turn', at, turn, streamed: turn.input.buffered !== true, retry });
    },
  };
}
