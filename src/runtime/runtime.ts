import type { RampartConfig } from '../config/index.js';
import { RampartError, toRampartError } from '../core/errors.js';
import type { TokenCounts } from '../core/token-estimate.js';
import type { Logger } from '../core/logger.js';
import type { Provider } from '../providers/provider.js';
import type { BreakerGuard, DegradedAnswers } from '../resilience/index.js';
import type { ToolAuthorizer, ToolRegistry } from '../tools/index.js';
import { completionLogStage } from './completion-log-stage.js';
import { runConversation } from './conversation.js';
import type { ProviderCapacity } from './model-call.js';
import { routeStage } from './route-stage.js';
import type { ToolResultScreen } from './tool-step.js';
import { prepareStages, settleStages, transformStages, type TurnStage } from './stage.js';
import { createTurn, type TraceContextHeaders, type Turn, type TurnInput } from './turn.js';
import type { TurnEvent } from './turn-event.js';
import type { TurnTrace, TurnTracer } from './turn-trace.js';

export interface RuntimeOptions {
  config: RampartConfig;
  providers: ReadonlyMap<string, Provider>;
  tools: ToolRegistry;
  logger: Logger;
  /** Extra stages, placed after routing and before the completion log. */
  stages?: readonly TurnStage[];
  /** Circuit breakers of the route targets; absent: none. */
  breakers?: BreakerGuard;
  /** Stored answers for degraded mode; absent: none. */
  answers?: DegradedAnswers;
  /** Room on providers with a cap of their own; absent: none has one. */
  capacity?: ProviderCapacity;
  /** Decides every server-side tool call; absent: the assistant's allow-list alone decides. */
  authorizer?: ToolAuthorizer;
  /** Looks at tool results before the model reads them; absent: they go in as they are. */
  screenToolResult?: ToolResultScreen;
  /** Counts tokens no provider reported, per model; absent: characters / 4. */
  tokens?: TokenCounts;
  /** Records each turn as a trace; absent: tracing is off and costs nothing. */
  tracer?: TurnTracer;
}

/** A turn that passed every `prepare`: iterate `events` to run it. */
export interface PreparedTurn {
  readonly turn: Turn;
  readonly events: AsyncIterable<TurnEvent>;
  /** The trace context of the turn's span, for work handed on as its child (a job). */
  readonly handOnTrace?: () => TraceContextHeaders;
}

export interface PrepareOptions {
  /**
   * Told the turn's trace id as soon as its trace starts, before any stage runs: the HTTP edge
   * names it on the answer, refusal included. Not called when the turn is not traced.
   */
  onTraced?: (traceId: string) => void;
}

export interface Runtime {
  /**
   * Prepares a turn. Rejects with a RampartError when a stage refuses it (unknown model, ...),
   * before anything was sent to the client.
   */
  prepareTurn(input: TurnInput, options?: PrepareOptions): Promise<PreparedTurn>;
}

/** The end of a turn that threw: its usage so far, then the error (a shutdown's, if it was one). */
function* failedTurn(turn: Turn, error: unknown): Generator<TurnEvent, void> {
  const { signal } = turn.input;
  const reason: unknown = signal.reason;
  const failure = signal.aborted && reason instanceof RampartError ? reason : toRampartError(error);
  if (failure.code === 'RAMPART_INTERNAL') {
    turn.logger.error({ err: error }, 'turn failed inside Rampart');
  }
  turn.finishReason = 'error';
  turn.errorCode = failure.code;
  yield { type: 'usage', usage: turn.usage };
  yield { type: 'error', error: failure, beforeContent: !turn.contentStarted };
}

/** Composes the stages of a turn in one place, in the order DESIGN.md §1 draws them. */
/** The end of every turn, run or refused: its stages settle, its trace ends, its signal is let go. */
async function endTurn(
  stages: readonly TurnStage[],
  turn: Turn,
  trace: TurnTrace | undefined,
): Promise<void> {
  await settleStages(stages, turn);
  trace?.end(turn);
  turn.release();
}

export function createRuntime(options: RuntimeOptions): Runtime {
  const stages: TurnStage[] = [
    completionLogStage({ logContent: options.config.log.content }),
    routeStage(options.config, options.providers),
    ...(options.stages ?? []),
  ];

  async function* run(
    turn: Turn,
    turnStages: readonly TurnStage[],
    trace: TurnTrace | undefined,
  ): AsyncGenerator<TurnEvent> {
    try {
      const { breakers, answers, capacity, authorizer, screenToolResult, tokens } = options;
      const context = {
        stages: turnStages,
        tokens,
        breakers,
        answers,
        capacity,
        registry: options.tools,
        authorizer,
        screen: screenToolResult,
        trace,
      };
      yield* transformStages(turnStages, turn, runConversation(turn, context));
    } catch (error) {
      // A stage that throws mid-turn (a bug, a regex on hostile text) still ends the turn with
      // an error event every edge knows how to send, never a stream that simply stops.
      yield* failedTurn(turn, error);
    } finally {
      await endTurn(turnStages, turn, trace);
    }
  }

  return {
    async prepareTurn(input, prepareOptions = {}) {
      const { requestId } = input;
      const trace = options.tracer?.startTurn(input);
      if (trace) prepareOptions.onTraced?.(trace.traceId);
      const logger = options.logger.child(
        trace ? { requestId, traceId: trace.traceId } : { requestId },
      );
      const turn = createTurn(input, logger);
      const turnStages = trace ? trace.traceStages(stages) : stages;
      try {
        await prepareStages(turnStages, turn);
      } catch (error) {
        turn.errorCode = toRampartError(error).code;
        await endTurn(turnStages, turn, trace);
        throw error;
      }
      const events = run(turn, turnStages, trace);
      if (!trace) return { turn, events };
      return { turn, events, handOnTrace: () => trace.handOn() };
    },
  };
}
