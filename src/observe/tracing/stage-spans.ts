import type { Attributes, Span } from '@opentelemetry/api';
import { isRampartError } from '../../core/errors.js';
import type { TurnStage } from '../../runtime/index.js';
import { RAMPART, recordFailure } from './span-attributes.js';

/** Where a stage's spans go: children of the turn's span. */
export interface StageSpanHost {
  startChild(name: string, attributes: Attributes): Span;
  /** Runs `work` with `span` as the parent of model calls it makes (a stage's aside call). */
  inPhase<T>(span: Span, work: () => Promise<T>): Promise<T>;
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

/** Runs one hook inside a span named after the hook and the stage; a throw is recorded. */
async function inSpan<T>(
  host: StageSpanHost,
  stage: TurnStage,
  hook: Hook,
  work: (span: Span) => Promise<T> | T,
): Promise<T> {
  const name = HOOK_NAMES[hook];
  const span = host.startChild(`${name} ${stage.name}`, {
    [RAMPART.stage]: stage.name,
    [RAMPART.stageHook]: name,
  });
  try {
    return await work(span);
  } catch (error) {
    recordFailure(span, failureCode(error), 'server');
    throw error;
  } finally {
    span.end();
  }
}

/**
 * The stage with each hook it has wrapped in a span; `transform` (the event stream) passes
 * through untouched, since a span per event would be noise. Hooks are called on the stage
 * itself, so a stage written as a class keeps its `this`.
 */
export function tracedStage(stage: TurnStage, host: StageSpanHost): TurnStage {
  const traced: { -readonly [K in keyof TurnStage]: TurnStage[K] } = { name: stage.name };
  if (stage.prepare)
    traced.prepare = (turn) => inSpan(host, stage, 'prepare', () => stage.prepare!(turn));
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
        if (refusal) recordFailure(span, refusal.code, 'server');
        return refusal;
      });
  }
  if (stage.settle)
    traced.settle = (turn) => inSpan(host, stage, 'settle', () => stage.settle!(turn));
  return traced;
}
