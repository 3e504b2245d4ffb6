import { RampartError, toRampartError, type ModelEvent, type Usage } from '../../core/index.js';
import type { SseEvent } from '../sse/index.js';
import { fromOpenAIFinishReason } from './finish-reason.js';
import { errorFromPayload } from './inband-error.js';
import { ToolCallAssembler } from './tool-call-assembler.js';
import { fromOpenAIUsage } from './usage.js';
import { asRecord, asText, parseJson, type JsonRecord } from './wire-values.js';

export interface DecodeStreamOptions {
  /** Called with each `data:` payload that is neither JSON nor `[DONE]`; it is skipped. */
  onSkippedPayload?: (data: string) => void;
}

/**
 * Decodes an upstream Chat Completions event stream into model events. It ends with `finish`
 * once the choice has a `finish_reason` (or the server sent `[DONE]`), preceded by one `usage`
 * event when the server reported usage. A stream that stops before either ends with a
 * `RAMPART_UPSTREAM_STREAM_TRUNCATED` error, never a `finish` (field case P23). An in-band
 * `{"error": ...}` payload, or a failure reading the stream, ends it with an `error` event.
 */
export async function* decodeChatCompletionStream(
  events: AsyncIterable<SseEvent>,
  options: DecodeStreamOptions = {},
): AsyncGenerator<ModelEvent, void, undefined> {
  const decoder = new StreamState();
  let sawDone = false;
  try {
    for await (const event of events) {
      const data = event.data.trim();
      // Stop at [DONE] rather than wait for the body to close: a server may hold it open.
      sawDone = data === '[DONE]';
      if (sawDone) break;
      const payload = parseJson(data);
      if (payload === undefined) options.onSkippedPayload?.(event.data);
      else yield* decoder.handle(payload);
      if (decoder.failed) return;
    }
  } catch (error) {
    yield* decoder.interrupted(toRampartError(error, 'RAMPART_UPSTREAM_ERROR'));
    return;
  }
  yield* decoder.end(sawDone);
}

/** What one streamed choice has produced so far. */
class StreamState {
  failed = false;
  private readonly calls = new ToolCallAssembler();
  private contentSent = false;
  private finishReason: string | undefined;
  private hadCalls = false;
  private usage: Usage | undefined;

  handle(payload: unknown): ModelEvent[] {
    const chunk = asRecord(payload);
    if (!chunk) return [];
    if (chunk.error != null) return this.fail(errorFromPayload(chunk));

    this.usage = fromOpenAIUsage(chunk.usage) ?? this.usage;
    const choices = Array.isArray(chunk.choices) ? chunk.choices : [];
    const choice = choices.map(asRecord).find((entry) => (entry?.index ?? 0) === 0);
    // Deltas after the finish_reason would be a server bug; the answer is already complete.
    if (!choice || this.finishReason !== undefined) return [];
    return this.handleChoice(choice);
  }

  /**
   * The stream ended. Without a finish_reason, `[DONE]` still marks the answer whole (some
   * servers omit the reason); a stream that just stops is truncated.
   */
  end(sawDone: boolean): ModelEvent[] {
    if (this.finishReason !== undefined) return this.closing();
    if (!sawDone) return this.truncated();
    this.hadCalls = this.calls.hasCalls;
    return [...this.calls.finish(), ...this.closing()];
  }

  /** Reading the stream failed. After the finish_reason the answer is whole; only usage is lost. */
  interrupted(error: RampartError): ModelEvent[] {
    if (this.finishReason !== undefined && error.code !== 'RAMPART_CLIENT_CLOSED') {
      return this.closing();
    }
    return this.fail(error);
  }

  private truncated(): ModelEvent[] {
    return this.fail(
      new RampartError(
        'RAMPART_UPSTREAM_STREAM_TRUNCATED',
        'Upstream stream ended before the answer was complete',
      ),
    );
  }

  private handleChoice(choice: JsonRecord): ModelEvent[] {
    const delta = asRecord(choice.delta) ?? {};
    const events: ModelEvent[] = [];
    const text = asText(delta.content) ?? asText(delta.refusal);
    if (text !== undefined) events.push({ type: 'text-delta', text });
    events.push(...this.calls.add(delta.tool_calls));

    const reason = asText(choice.finish_reason);
    if (reason !== undefined) {
      this.finishReason = reason;
      this.hadCalls = this.calls.hasCalls;
      events.push(...this.calls.finish());
    }
    if (events.some((event) => event.type === 'text-delta' || event.type === 'tool-call-start')) {
      this.contentSent = true;
    }
    return events;
  }

  private closing(): ModelEvent[] {
    const reason = fromOpenAIFinishReason(this.finishReason ?? 'stop', this.hadCalls);
    return [...this.usageEvents(), { type: 'finish', reason }];
  }

  private fail(error: RampartError): ModelEvent[] {
    this.failed = true;
    return [...this.usageEvents(), { type: 'error', error, beforeContent: !this.contentSent }];
  }

  private usageEvents(): ModelEvent[] {
    return this.usage ? [{ type: 'usage', usage: this.usage }] : [];
  }
}
