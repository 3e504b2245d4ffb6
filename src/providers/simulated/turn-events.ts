import type { FinishReason, ModelEvent, ToolCall } from '../../core/index.js';
import type { TurnContent } from './decide-turn.js';
import type { Prng } from './prng.js';
import { applyStopSequences } from './stop-sequences.js';

export interface TurnEventsOptions {
  /** Output-token limit; tokens past it are not produced and the finish is `length`. */
  maxTokens: number | undefined;
  inputTokens: number;
  prng: Prng;
  /** The request's stop sequences: the answer ends before the first one its text holds. */
  stop?: readonly string[];
}

/**
 * Cuts a turn into model events: one `text-delta` per token, then each tool call as start,
 * several argument fragments and end. Every text token and argument fragment counts as one output
 * token. At the token limit the turn stops (an open tool call ends with the arguments so far);
 * at a stop sequence the answer ends before it, with nothing after (see `stop-sequences.ts`).
 */
export function turnEvents(planned: TurnContent, options: TurnEventsOptions): ModelEvent[] {
  const { content, stopSequence } = applyStopSequences(planned, options.stop);
  const budget: Budget = { left: options.maxTokens ?? Number.POSITIVE_INFINITY, truncated: false };
  const events = [
    ...textEvents(content.textTokens, budget),
    ...callEvents(content.toolCalls, budget, options.prng),
  ];
  const outputTokens = events.filter(isToken).length;
  let reason: FinishReason = content.toolCalls.length > 0 ? 'tool-calls' : 'stop';
  if (budget.truncated) reason = 'length';
  events.push({ type: 'usage', usage: { inputTokens: options.inputTokens, outputTokens } });
  events.push(
    reason === 'stop' && stopSequence !== undefined
      ? { type: 'finish', reason, stopSequence }
      : { type: 'finish', reason },
  );
  return events;
}

/** Output tokens still allowed, and whether the limit cut anything off. */
interface Budget {
  left: number;
  truncated: boolean;
}

function textEvents(tokens: readonly string[], budget: Budget): ModelEvent[] {
  const kept = tokens.slice(0, budget.left);
  budget.left -= kept.length;
  budget.truncated ||= kept.length < tokens.length;
  return kept.map((text) => ({ type: 'text-delta', text }));
}

function callEvents(calls: readonly ToolCall[], budget: Budget, prng: Prng): ModelEvent[] {
  const events: ModelEvent[] = [];
  for (const [index, call] of calls.entries()) {
    if (budget.truncated || budget.left <= 0) {
      budget.truncated = true;
      break;
    }
    const all = splitArguments(call.arguments, prng);
    const fragments = all.slice(0, budget.left);
    budget.left -= fragments.length;
    budget.truncated = fragments.length < all.length;
    events.push(...toolCallEvents(index, call, fragments));
  }
  return events;
}

function toolCallEvents(index: number, call: ToolCall, fragments: string[]): ModelEvent[] {
  return [
    { type: 'tool-call-start', index, id: call.id, name: call.name },
    ...fragments.map((argumentsDelta) => ({
      type: 'tool-call-delta' as const,
      index,
      argumentsDelta,
    })),
    { type: 'tool-call-end', index, id: call.id, name: call.name, arguments: fragments.join('') },
  ];
}

/** Splits argument text into fragments of 3 to 8 characters, never inside a surrogate pair. */
function splitArguments(text: string, prng: Prng): string[] {
  const characters = Array.from(text);
  const fragments: string[] = [];
  for (let start = 0; start < characters.length;) {
    const end = start + prng.between(3, 8);
    fragments.push(characters.slice(start, end).join(''));
    start = end;
  }
  return fragments.length > 0 ? fragments : [''];
}

/** True for the events that carry an output token. */
export function isToken(event: ModelEvent): boolean {
  return event.type === 'text-delta' || event.type === 'tool-call-delta';
}
