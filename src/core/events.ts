import type { RampartError } from './errors.js';

/** Token counts as the provider reported them (or as estimated, when `estimated` is set). */
export interface Usage {
  /** Prompt tokens billed at the full input price (cached tokens excluded). */
  inputTokens: number;
  outputTokens: number;
  /** Prompt tokens served from the provider's prompt cache. */
  cachedInputTokens?: number;
  /** Prompt tokens written to the provider's prompt cache (Anthropic's cache_creation). */
  cacheWriteInputTokens?: number;
  /** True when the counts are our estimate because the provider reported none. */
  estimated?: boolean;
}

/**
 * Why the model stopped. `error` marks a stream that ended because of a failure: a truncated
 * answer is never reported as `stop`.
 */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error';

/**
 * The provider-neutral event stream of one model call. Every provider yields these, in this
 * order: text and tool-call events interleaved, then at most one `usage`, then exactly one of
 * `finish` or `error`, which ends the stream.
 *
 * Tool calls are numbered by `index` in order of first appearance (0, 1, 2, ...), whatever block
 * index or position the wire format used.
 */
export type ModelEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'tool-call-start'; index: number; id: string; name: string }
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  | {
      type: 'tool-call-end';
      index: number;
      id: string;
      name: string;
      /** The complete raw argument text. */
      arguments: string;
    }
  | { type: 'usage'; usage: Usage }
  | {
      type: 'finish';
      reason: FinishReason;
      /**
       * The stop sequence that ended the answer, when the provider names it (Anthropic does,
       * OpenAI does not); only with reason `stop`.
       */
      stopSequence?: string;
    }
  | {
      type: 'error';
      error: RampartError;
      /** True when nothing (no text, no tool call) was produced before the failure. */
      beforeContent: boolean;
    };

export type ModelEventType = ModelEvent['type'];

/** Adds two usage records. */
export function addUsage(a: Usage, b: Usage): Usage {
  const sum: Usage = {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
  const cached = (a.cachedInputTokens ?? 0) + (b.cachedInputTokens ?? 0);
  const written = (a.cacheWriteInputTokens ?? 0) + (b.cacheWriteInputTokens ?? 0);
  if (cached > 0) sum.cachedInputTokens = cached;
  if (written > 0) sum.cacheWriteInputTokens = written;
  if (a.estimated === true || b.estimated === true) sum.estimated = true;
  return sum;
}

export const ZERO_USAGE: Readonly<Usage> = Object.freeze({ inputTokens: 0, outputTokens: 0 });
