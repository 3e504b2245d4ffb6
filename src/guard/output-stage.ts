import type { Turn, TurnEvent, TurnStage } from '../runtime/index.js';
import { AnswerFilter, type AnswerFilterOptions } from './answer-filter.js';
import { canaryFor } from './canary.js';
import type { LeakWatch } from './output-parts.js';

export interface OutputStageOptions extends AnswerFilterOptions {
  /** Place a canary in the system prompt and watch answers for it and for the prompt. */
  leakDetection: boolean;
  /** The system messages watched: all of them, or the first only. Default `all`. */
  leakScope?: 'all' | 'first';
}

/**
 * Puts the canary into the turn's system prompt and returns what makes a watch for it: one for
 * the answer, one per tool call's arguments, one for an upstream error's words. The prompt is
 * every system message together (unless `leakScope` says `first`): Anthropic clients often send
 * a short first block and the real instructions after it, and OpenAI clients may send several
 * system messages, so watching the first alone let the rest leave unseen. The canary goes into
 * the first non-empty one and is made from it alone, so that a later system message that changes
 * per request (a date, a profile) leaves the prompt's opening bytes, and the provider's prompt
 * cache, as they were.
 */
function watchForLeaks(turn: Turn, options: OutputStageOptions): (() => LeakWatch) | undefined {
  if (!options.leakDetection) return undefined;
  const messages = turn.input.messages;
  const texts: string[] = [];
  let first = -1;
  messages.forEach((message, index) => {
    if (message.role !== 'system' || message.content.trim() === '') return;
    if (first >= 0 && options.leakScope === 'first') return;
    if (first < 0) first = index;
    texts.push(message.content);
  });
  const system = messages[first];
  if (system?.role !== 'system') return undefined;
  const prompt = texts.join('\n\n');
  const canary = canaryFor(system.content);
  messages[first] = {
    role: 'system',
    content: options.engines.placeCanary(system.content, canary),
  };
  return () => options.engines.leakWatch(prompt, canary);
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
