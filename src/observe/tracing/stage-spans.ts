import type { Attributes, Span } from '@opentelemetry/api';
import { isRampartError } from '../../core/errors.js';
import type { TurnStage } from '../../runtime/index.js';
import { RAMPART, recordFailure } from './span-attributes.js';
import type { TurnClock } from './span-clock.js';

/** Where a stage's spans go: children of the turn's span. */
export interface StageSpanHost {
  /** Hooks quicker than this get no span unless they fail or make a model call. */
  readonly stageSpanMinMs: number;
  readonly clock: TurnClock;
  /** Opens a child of the turn's span, started at `startedAt` (a `performance.now()` reading). */
  startChild(name: string, attributes: Attributes, startedAt: number): Span;
  /** Runs `work` with `span` as the parent of the model calls it makes (a stage's aside call). */
  inPhase<T>(span: StageSpan, work: () => Promise<T>): Promise<T>;
}

/**
 * The span of one stage hook, opened only when it is needed: when the hook fails, when it makes
 * a model call that needs a parent, or when it ends having taken long enough to matter. A quick
 * hook that did nothing remarkable costs two clock readings and this small object.
 */
export class StageSpan {
  readonly #host: StageSpanHost;
  readonly #stage: string;
  readonly #hook: string;
  readonly #startedAt = performance.now();
  #span: Span | undefined;

  constructor(host: StageSpanHost, stage: string, hook: string) {
    this.#host = host;
    this.#stage = stage;
    this.#hook = hook;
  }

  /** The span, opened now (back-dated to the hook's start) if it was not yet. */
  open(): Span {
    this.#span ??= this.#host.startChild(
      `${this.#hook} ${this.#stage}`,
      { [RAMPART.stage]: this.#stage, [RAMPART.stageHook]: this.#hook },
      this.#startedAt,
    );
    return this.#span;
  }

  fail(code: string): void {
    recordFailure(this.open(), code, 'server');
  }

  end(): void {
    const took = performance.now() - this.#startedAt;
    if (!this.#span && took < this.#host.stageSpanMinMs) return;
    this.open().end(this.#host.clock.at());
  }
}

type Hook =
  'prepare' | 'beforeStep' | 'beforeModelCall' | 'shapeRequest' | 'beforeToolStep' | 'settle';

/** Span names use the conventions' snake_case, not the code's camelCase. */
const HOOK_NAMES: Record<Hook, string> = {
  prepare: 'prepare',
  beforeStep: 'before_step',
  beforeModelCall: 'before_model_call',
  shapeRequest: 'shape_request',
  beforeToolStep: 'before_tool_step',
  settle: 'settle',
};

function failureCode(error: unknown): string {
  if (isRampartError(error)) return error.code;
  return error instanceof Error ? error.name : 'Error';
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

/**
 * Runs one hook inside a span named after the hook and the stage; a throw or rejection is
 * recorded. A hook that answers synchronously stays synchronous, and one that is quick and
 * makes no model call opens no span: this runs for every stage hook of every traced turn.
 */
function inSpan<R>(
  host: StageSpanHost,
  stage: TurnStage,
  hook: Hook,
  work: (span: StageSpan) => R,
): R {
  const span = new StageSpan(host, stage.name, HOOK_NAMES[hook]);
  let result: R;
  try {
    result = work(span);
  } catch (error) {
    span.fail(failureCode(error));
    span.end();
    throw error;
  }
  if (!isPromise(result)) {
    span.end();
    return result;
  }
  const settled = result.then(
    (value) => {
      span.end();
      return value;
    },
    (error: unknown) => {
      span.fail(failureCode(error));
      span.end();
      throw error;
    },
  );
  // The same promise type the hook returned, now ending the span when it settles.
  return settled as R;
}

/**
 * The stage with each hook it has wrapped in a span; `transform` (the event stream) passes
 * through untouched, since a span per event would be noise. Hooks are called on the stage
 * itself, so a stage written as a class keeps its `this`.
 */
export function tracedStage(stage: TurnStage, host: StageSpanHost): TurnStage {
  const traced: { -readonly [K in keyof TurnStage]: TurnStage[K] } = { name: stage.name };
  if (stage.prepare) {
    traced.prepare = (turn) => inSpan(host, stage, 'prepare', () => stage.prepare!(turn));
  }
  if (stage.transform) traced.transform = (turn, events) => stage.transform!(turn, events);
  if (stage.beforeModelCall) {
    traced.beforeModelCall = (turn) =>
      inSpan(host, stage, 'beforeModelCall', () => stage.beforeModelCall!(turn));
  }
  if (stage.beforeStep) {
    traced.beforeStep = (turn, request) =>
      inSpan(host, stage, 'beforeStep', () => stage.beforeStep!(turn, request));
  }
  if (stage.shapeRequest) {
    traced.shapeRequest = (turn, request, shaping) =>
      inSpan(host, stage, 'shapeRequest', (span) =>
        host.inPhase(span, async () => stage.shapeRequest!(turn, request, shaping)),
      );
  }
  if (stage.beforeToolStep) {
    traced.beforeToolStep = (turn, calls) =>
      inSpan(host, stage, 'beforeToolStep', async (span) => {
        const refusal = await stage.beforeToolStep!(turn, calls);
        // A refusal is returned, not thrown: the span still says the step was refused.
        if (refusal) span.fail(refusal.code);
        return refusal;
      });
  }
  if (stage.settle) {
    traced.settle = (turn) => inSpan(host, stage, 'settle', () => stage.settle!(turn));
  }
  return traced;
}
