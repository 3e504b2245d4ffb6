import type { FinishReason, ModelEvent } from '../../core/index.js';
import type { AnthropicStopReason } from './wire-types.js';

/**
 * Anthropic's `stop_reason` to the neutral finish reason. `pause_turn` (a server tool paused a
 * long turn) ends this call normally; unknown or missing reasons count as a normal stop because
 * the stream itself finished cleanly. https://docs.anthropic.com/en/api/handling-stop-reasons
 */
export function toFinishReason(stopReason: unknown): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool-calls';
    case 'refusal':
      return 'content-filter';
    default:
      return 'stop';
  }
}

/**
 * The neutral finish event of Anthropic's `stop_reason` and `stop_sequence`: the sequence is
 * kept when it is what stopped the answer.
 */
export function toFinishEvent(
  stopReason: unknown,
  stopSequence: unknown,
): Extract<ModelEvent, { type: 'finish' }> {
  const reason = toFinishReason(stopReason);
  if (stopReason === 'stop_sequence' && typeof stopSequence === 'string') {
    return { type: 'finish', reason, stopSequence };
  }
  return { type: 'finish', reason };
}

/**
 * An answer's end as Anthropic writes it: `stop_reason` and the `stop_sequence` that ended it. A
 * turn that sent tool calls and stopped normally is `tool_use`, whatever the source said, so
 * Anthropic tool runners keep going (P14); one that sent none is not, even if the source said so,
 * or a tool runner would wait for nothing (a call whose input was no object is left out). A cut
 * by the token limit stays `max_tokens` even mid-call (P11). A normal stop at a named stop
 * sequence is `stop_sequence`, naming it.
 */
export function toStopFields(
  finish: { reason: FinishReason; stopSequence?: string | undefined },
  calledTools: boolean,
): { stop_reason: AnthropicStopReason; stop_sequence: string | null } {
  const { reason, stopSequence } = finish;
  if (reason === 'length') return { stop_reason: 'max_tokens', stop_sequence: null };
  if (reason === 'content-filter') return { stop_reason: 'refusal', stop_sequence: null };
  if (calledTools) return { stop_reason: 'tool_use', stop_sequence: null };
  if (reason === 'stop' && stopSequence !== undefined) {
    return { stop_reason: 'stop_sequence', stop_sequence: stopSequence };
  }
  return { stop_reason: 'end_turn', stop_sequence: null };
}
