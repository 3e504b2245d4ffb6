import type { Turn, TurnEvent, TurnStage } from '../runtime/index.js';
import { AnswerFilter, type AnswerFilterOptions } from './answer-filter.js';
import { canaryFor } from './canary.js';
import type { LeakWatch } from './output-parts.js';

export interface OutputStageOptions extends AnswerFilterOptions {
  /** Place a canary in the system prompt and watch answers for it and for the prompt. */
  leakDetection: boolean;
}

/**
 * Puts the canary into the turn's system prompt and returns what makes a watch for it: one for
 * the answer, one per tool call's arguments, one for an upstream error's words.
 */
function watchForLeaks(turn: Turn, options: OutputStageOptions): (() => LeakWatch) | undefined {
  if (!options.leakDetection) return undefined;
  const messages = turn.input.messages;
  const index = messages.findIndex((message) => message.role === 'system');
  const system = messages[index];
  if (system?.role !== 'system' || system.content.trim() === '') return undefined;
  const canary = canaryFor(system.content);
  messages[index] = {
    role: 'system',
    content: options.engines.placeCanary(system.content, canary),
  };
  return () => options.engines.leakWatch(system.content, canary);
}

/**
 * The output guard: every answer, streamed or not, passes leak detection and redaction before
 * the client sees it, and the session stores what the client was shown.
 */
export function guardOutputStage(options: OutputStageOptions): TurnStage {
  const watches = new WeakMap<Turn, (() => LeakWatch) | undefined>();
  return {
    name: 'guard-output',
    prepare(turn) {
      watches.set(turn, watchForLeaks(turn, options));
    },
    async *transform(turn, events): AsyncIterable<TurnEvent> {
      const filter = new AnswerFilter(turn, options, watches.get(turn));
      for await (const event of events) yield* filter.apply(event);
    },
  };
}
