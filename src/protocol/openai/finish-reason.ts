import type { FinishReason } from '../../core/index.js';

/** OpenAI's `finish_reason` values for the reasons a stream can end normally. */
export type OpenAIFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

const TO_OPENAI: Record<Exclude<FinishReason, 'error'>, OpenAIFinishReason> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
};

/** Our finish reason on the wire. `error` has no wire value: a failure is sent as an error. */
export function toOpenAIFinishReason(reason: Exclude<FinishReason, 'error'>): OpenAIFinishReason {
  return TO_OPENAI[reason];
}

/**
 * Reads an upstream `finish_reason`. `length` and `content_filter` are kept whatever else came.
 * OpenAI itself answers `stop` when `tool_choice` forces a function, and some compatible servers
 * do so for every call, so a turn that produced tool calls otherwise finishes as `tool-calls`.
 */
export function fromOpenAIFinishReason(reason: string, hasToolCalls: boolean): FinishReason {
  if (reason === 'length') return 'length';
  if (reason === 'content_filter') return 'content-filter';
  if (reason === 'tool_calls' || reason === 'function_call' || hasToolCalls) return 'tool-calls';
  return 'stop';
}
