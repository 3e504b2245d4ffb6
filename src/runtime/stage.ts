import type { CollectedResponse } from '../core/collect.js';
import type { ModelRequest, ToolCall } from '../core/conversation.js';
import type { RampartError } from '../core/errors.js';
import type { ResolvedModel, Turn } from './turn.js';
import type { TurnEvent } from './turn-event.js';

/** A model request as a turn builds it: each target of the route sets its own model id. */
export type ModelCallRequest = Omit<ModelRequest, 'model'>;

/** What a stage that shapes a request may do besides rewriting it. */
export interface RequestShaping {
  /**
   * Calls another route outside the turn's answer (a summary, say), with that route's retries
   * and fallbacks and the stages' admission; nothing reaches the client. Its usage is recorded
   * on the turn with the target that served it. Past `timeoutMs` it is abandoned and answers
   * with the error, so a slow side call cannot hold the turn's answer up for long.
   */
  callAside(
    route: ResolvedModel,
    request: ModelCallRequest,
    options?: { timeoutMs?: number },
  ): Promise<CollectedResponse>;
}

/**
 * One step of the turn pipeline. A stage may act before the model is called (`prepare`: refuse,
 * rewrite the context, pick the route), on the event stream on its way out (`transform`), and
 * once the turn has ended however it ended (`settle`: release, record).
 */
export interface TurnStage {
  readonly name: string;
  /** Throwing a RampartError refuses the turn before anything is sent to the client. */
  prepare?(turn: Turn): Promise<void> | void;
  transform?(turn: Turn, events: AsyncIterable<TurnEvent>): AsyncIterable<TurnEvent>;
  /**
   * Runs before each model call of the turn (admission to a shared cap, say). It may return a
   * function that runs once the call has ended, however it ended. Throwing a RampartError fails
   * that model call with it.
   */
  beforeModelCall?(turn: Turn): Promise<ModelCallRelease | void>;
  /**
   * Runs once before each model call of the turn is sent, however many attempts it takes, with
   * the request as every stage's `shapeRequest` left it. It may clamp `turn.maxOutputTokens`, switch `turn.route` or set
   * `turn.cannedAnswer`. Throwing a RampartError ends the turn with it.
   */
  beforeStep?(turn: Turn, request: Omit<ModelRequest, 'model'>): Promise<void>;
  /**
   * Runs before each model call of the turn with the request about to be sent, and returns the
   * request to send instead (a pruned context, say); stages shape in order, each seeing the one
   * before's result. Throwing a RampartError ends the turn with it before the call is made.
   */
  shapeRequest?(
    turn: Turn,
    request: ModelCallRequest,
    shaping: RequestShaping,
  ): Promise<ModelCallRequest> | ModelCallRequest;
  /**
   * Runs before the server runs a step's tool calls. A refusal (a spent budget, say) is returned,
   * not thrown: none of the calls runs, and each gets the refusal as its result.
   */
  beforeToolStep?(turn: Turn, calls: readonly ToolCall[]): Promise<RampartError | undefined>;
  /** Must not throw; errors are logged and the other stages still settle. */
  settle?(turn: Turn): Promise<void> | void;
}

/** Undoes what a stage's `beforeModelCall` took. */
export type ModelCallRelease = () => Promise<void>;

/**
 * Runs every stage's `beforeModelCall` in order and returns one release for all of them. If one
 * throws, those already taken are released before the error goes on.
 */
export async function enterModelCall(
  stages: readonly TurnStage[],
  turn: Turn,
): Promise<ModelCallRelease> {
  const releases: ModelCallRelease[] = [];
  const releaseAll = async () => {
    for (const release of releases.reverse()) {
      await release().catch((error: unknown) =>
        turn.logger.error({ err: error }, 'releasing a model-call admission failed'),
      );
    }
  };
  try {
    for (const stage of stages) {
      const release = await stage.beforeModelCall?.(turn);
      if (release) releases.push(release);
    }
  } catch (error) {
    await releaseAll();
    throw error;
  }
  return releaseAll;
}

/** Runs every stage's `beforeStep` in order. */
export async function enterStep(
  stages: readonly TurnStage[],
  turn: Turn,
  request: Omit<ModelRequest, 'model'>,
): Promise<void> {
  for (const stage of stages) await stage.beforeStep?.(turn, request);
}

/** Runs every stage's `shapeRequest` in order; with none, the request goes out as built. */
export async function shapeRequest(
  stages: readonly TurnStage[],
  turn: Turn,
  options: { request: ModelCallRequest; shaping: RequestShaping },
): Promise<ModelCallRequest> {
  let request = options.request;
  for (const stage of stages) {
    if (stage.shapeRequest) request = await stage.shapeRequest(turn, request, options.shaping);
  }
  return request;
}

/** Asks every stage whether a step's tool calls may run; the first refusal wins. */
export async function admitToolStep(
  stages: readonly TurnStage[],
  turn: Turn,
  calls: readonly ToolCall[],
): Promise<RampartError | undefined> {
  for (const stage of stages) {
    const refusal = await stage.beforeToolStep?.(turn, calls);
    if (refusal) return refusal;
  }
  return undefined;
}

/** Runs every stage's `prepare` in order. */
export async function prepareStages(stages: readonly TurnStage[], turn: Turn): Promise<void> {
  for (const stage of stages) await stage.prepare?.(turn);
}

/** Wraps the core event stream in every stage's `transform`, the first stage outermost. */
export function transformStages(
  stages: readonly TurnStage[],
  turn: Turn,
  core: AsyncIterable<TurnEvent>,
): AsyncIterable<TurnEvent> {
  let events = core;
  for (let index = stages.length - 1; index >= 0; index--) {
    const stage = stages[index];
    if (stage?.transform) events = stage.transform(turn, events);
  }
  return events;
}

/** Settles every stage, last first, so a stage settles after those that depend on it. */
export async function settleStages(stages: readonly TurnStage[], turn: Turn): Promise<void> {
  for (let index = stages.length - 1; index >= 0; index--) {
    const stage = stages[index];
    try {
      await stage?.settle?.(turn);
    } catch (error) {
      turn.logger.error({ err: error, stage: stage?.name }, 'turn stage failed to settle');
    }
  }
}
