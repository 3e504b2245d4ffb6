import type { FinishReason } from '../../core/index.js';
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
 * The neutral finish reason to `stop_reason`. A turn that sent tool calls and stopped normally
 * is `tool_use`, whatever the source said, so Anthropic tool runners keep going (P14); one that
 * sent none is not, even if the source said so, or a tool runner would wait for nothing (a call
 * whose input was no object is left out). A cut by the token limit stays `max_tokens` even
 * mid-call (P11).
 */
export function toStopReason(reason: FinishReason, calledTools: boolean): AnthropicStopReason {
  if (reason === 'length') return 'max_tokens';
  if (reason === 'content-filter') return 'refusal';
  return calledTools ? 'tool_use' : 'end_turn';
}
