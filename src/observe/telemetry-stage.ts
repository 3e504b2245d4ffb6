import type { Logger } from '../core/logger.js';
import type { TurnStage } from '../runtime/stage.js';
import type { Turn } from '../runtime/turn.js';
import type {
  ConversationIdentity,
  ConversationTracker,
} from './conversations/conversation-tracker.js';
import type { SettledTurn, Telemetry } from './telemetry.js';

/**
 * Settled turns held before the sinks see them, at most this many. Why hold them at all: on the
 * request path, among everything else a turn touches, the sinks' code and label maps are cold,
 * and the same per-turn work timed in a running server took about five times what it takes in a
 * loop. Delivered in batches, it runs warm (docs/benchmarks.md, Monitoring).
 */
export const HELD_TURNS = 64;
/** Longest a settled turn waits for its batch when traffic is light. */
export const HELD_TURN_MS = 1_000;

interface Settled {
  turn: SettledTurn;
  at: number;
  durationMs: number;
  conversation: ConversationIdentity;
}

/** The facts the sinks read, copied out of the turn so that nothing else of it is held. */
function settledFacts(turn: Turn): SettledTurn {
  return {
    input: { buffered: turn.input.buffered },
    route: turn.route,
    servedBy: turn.servedBy,
    degraded: turn.degraded,
    modelCalls: turn.modelCalls,
    toolCalls: turn.toolCalls,
    modelUsage: turn.modelUsage,
    usage: turn.usage,
    cost: turn.cost,
    errorCode: turn.errorCode,
    guard: turn.guard,
    budget: turn.budget,
  };
}

export interface TelemetryStageOptions {
  telemetry: Telemetry;
  /** Where a turn that could not be reported is logged. */
  logger?: Logger;
  conversations: ConversationTracker;
  /** Batch size; default {@link HELD_TURNS}. 1 delivers every turn as it settles. */
  heldTurns?: number;
  /** Default {@link HELD_TURN_MS}. */
  heldTurnMs?: number;
}

/** The stage, and `stop` for shutdown: it delivers what is held and clears the timer. */
export interface TelemetryStage extends TurnStage {
  stop(): void;
}

/**
 * Reports every turn to the telemetry hub once it has settled. Placed first among the stages it
 * settles after them all, accounting included, so the facts it reports are final (cost too). The
 * time and duration are taken at settling; the delivery, with the conversation tracker's
 * bookkeeping, happens in batches: when `heldTurns` wait, after `heldTurnMs`, or when a reader
 * calls `telemetry.flush()`.
 */
export function telemetryStage(options: TelemetryStageOptions): TelemetryStage {
  const { telemetry, conversations, logger } = options;
  const limit = Math.max(1, options.heldTurns ?? HELD_TURNS);
  const delayMs = options.heldTurnMs ?? HELD_TURN_MS;
  let held: Settled[] = [];
  let timer: NodeJS.Timeout | undefined;

  const deliver = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    // Taken whole first: a sink that reads (and so flushes) while this runs finds nothing held.
    const batch = held;
    held = [];
    for (const { turn, at, durationMs, conversation } of batch) {
      // The sinks are guarded by `emit`; this guards the rest, so one bad turn costs no other
      // (and a timer's delivery cannot throw out of the event loop).
      try {
        const retry = conversations.record(turn, at, conversation);
        const streamed = turn.input.buffered !== true;
        telemetry.emit({ type: 'turn', at, durationMs, turn, streamed, retry });
      } catch (error) {
        logger?.error({ err: error }, 'telemetry could not report a turn');
      }
    }
  };
  telemetry.onFlush(deliver);

  return {
    name: 'telemetry',
    settle(turn) {
      // Conversations are followed only for the sinks; with none, there is nothing to report.
      if (!telemetry.listened) return;
      const durationMs = performance.now() - turn.startedAt;
      const conversation = conversations.identify(turn);
      held.push({ turn: settledFacts(turn), at: telemetry.now(), durationMs, conversation });
      if (held.length >= limit) deliver();
      else if (timer === undefined) {
        timer = setTimeout(deliver, delayMs);
        // A turn waiting for its batch must not keep a process alive that is otherwise done.
        timer.unref();
      }
    },
    stop: deliver,
  };
}
