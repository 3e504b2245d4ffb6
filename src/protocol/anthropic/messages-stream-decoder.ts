import {
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
  RampartError,
  toRampartError,
  type ModelEvent,
  type Usage,
} from '../../core/index.js';
import type { SseEvent } from '../sse/index.js';
import { fromAnthropicError } from './error-type.js';
import { toFinishEvent } from './stop-reason.js';
import { isJsonObject, stringOf, tooDeepInput, type JsonObject } from './json-value.js';
import { countOf } from './wire-usage.js';

interface ToolBlock {
  index: number;
  id: string;
  name: string;
  arguments: string;
  /** `input` as given at block start; only non-empty when the upstream did not stream it. */
  initial: JsonObject;
}

/**
 * The state of one upstream Messages stream. Tool calls are keyed by content-block index and
 * numbered 0, 1, 2 in order of appearance, so two `tool_use` blocks stay two calls (P08).
 * Argument fragments are relayed as they came and never parsed here: a model's invalid JSON
 * (such as an unescaped `\d`) must pass through, not break the stream (P10).
 */
export class MessagesStreamDecoder {
  /** Told the length of each `data` payload that was skipped because it is not JSON. */
  constructor(private readonly onSkippedPayload?: (data: string) => void) {}

  private readonly tools = new Map<number, ToolBlock>();
  private nextTool = 0;
  private usage: Usage | undefined;
  private stopReason: unknown;
  private stopSequence: unknown;
  private produced = false;
  private ended = false;

  /** True once the stream has ended with `finish` or `error`. */
  get done(): boolean {
    return this.ended;
  }

  /** Decodes one SSE event; a `data` payload that is not JSON is skipped, not fatal. */
  accept(event: SseEvent): ModelEvent[] {
    if (this.ended) return [];
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch {
      this.onSkippedPayload?.(event.data);
      return [];
    }
    if (!isJsonObject(payload)) return [];
    const type = typeof payload.type === 'string' ? payload.type : event.event;
    return this.dispatch(type, payload);
  }

  /** Ends the stream when the source ran out: without `message_stop` that is a truncation (P23). */
  end(): ModelEvent[] {
    const message = 'The upstream stream ended before message_stop';
    return this.fail(new RampartError('RAMPART_UPSTREAM_STREAM_TRUNCATED', message));
  }

  /** Ends the stream with an error, after any usage seen so far. */
  fail(error: RampartError): ModelEvent[] {
    if (this.ended) return [];
    this.ended = true;
    const usage: ModelEvent[] = this.usage ? [{ type: 'usage', usage: this.usage }] : [];
    return [...usage, { type: 'error', error, beforeContent: !this.produced }];
  }

  private dispatch(type: string | undefined, payload: JsonObject): ModelEvent[] {
    switch (type) {
      case 'message_start':
        this.readUsage(isJsonObject(payload.message) ? payload.message.usage : undefined);
        return [];
      case 'content_block_start':
        return this.blockStart(payload);
      case 'content_block_delta':
        return this.blockDelta(payload);
      case 'content_block_stop':
        return this.blockStop(payload.index);
      case 'message_delta':
        if (isJsonObject(payload.delta)) {
          this.stopReason = payload.delta.stop_reason;
          this.stopSequence = payload.delta.stop_sequence;
        }
        this.readUsage(payload.usage);
        return [];
      case 'message_stop':
        return this.stop();
      case 'error': {
        const body = isJsonObject(payload.error) ? payload.error : {};
        return this.fail(fromAnthropicError(body.type, body.message));
      }
      default:
        // `ping` and event types added to the API later carry nothing we use.
        return [];
    }
  }

  /**
   * `message_start` carries the input counts and a placeholder output count; each
   * `message_delta` carries the cumulative output count. Later values replace earlier ones, so
   * output tokens are counted once, from the last report.
   */
  private readUsage(raw: unknown): void {
    if (!isJsonObject(raw)) return;
    const usage: Usage = { ...(this.usage ?? { inputTokens: 0, outputTokens: 0 }) };
    usage.inputTokens = countOf(raw.input_tokens) ?? usage.inputTokens;
    usage.outputTokens = countOf(raw.output_tokens) ?? usage.outputTokens;
    const cached = countOf(raw.cache_read_input_tokens);
    const written = countOf(raw.cache_creation_input_tokens);
    if (cached !== undefined && cached > 0) usage.cachedInputTokens = cached;
    if (written !== undefined && written > 0) usage.cacheWriteInputTokens = written;
    this.usage = usage;
  }

  private blockStart(payload: JsonObject): ModelEvent[] {
    const block = payload.content_block;
    if (typeof payload.index !== 'number' || !isJsonObject(block)) return [];
    if (block.type === 'text') return this.text(stringOf(block.text));
    if (block.type !== 'tool_use' || this.tools.has(payload.index)) return [];
    // The input is turned back into text at block stop; one nested too deep would overflow there.
    if (jsonDepthExceeds(block.input, MAX_JSON_DEPTH)) return this.fail(tooDeepInput());

    const tool: ToolBlock = {
      index: this.nextTool,
      id: stringOf(block.id),
      name: stringOf(block.name),
      arguments: '',
      initial: isJsonObject(block.input) ? block.input : {},
    };
    this.nextTool += 1;
    this.tools.set(payload.index, tool);
    this.produced = true;
    return [{ type: 'tool-call-start', index: tool.index, id: tool.id, name: tool.name }];
  }

  private blockDelta(payload: JsonObject): ModelEvent[] {
    const delta = payload.delta;
    if (!isJsonObject(delta)) return [];
    if (delta.type === 'text_delta') return this.text(stringOf(delta.text));
    if (delta.type !== 'input_json_delta' || typeof payload.index !== 'number') return [];
    const tool = this.tools.get(payload.index);
    return tool ? this.argumentsDelta(tool, stringOf(delta.partial_json)) : [];
  }

  private text(text: string): ModelEvent[] {
    if (text === '') return [];
    this.produced = true;
    return [{ type: 'text-delta', text }];
  }

  private argumentsDelta(tool: ToolBlock, text: string): ModelEvent[] {
    if (text === '') return [];
    tool.arguments += text;
    return [{ type: 'tool-call-delta', index: tool.index, argumentsDelta: text }];
  }

  private blockStop(index: unknown): ModelEvent[] {
    if (typeof index !== 'number') return [];
    const tool = this.tools.get(index);
    if (tool === undefined) return [];
    this.tools.delete(index);
    // A block that arrived with its input filled in, and no fragments, still reports its input.
    const events =
      tool.arguments === '' && Object.keys(tool.initial).length > 0
        ? this.argumentsDelta(tool, JSON.stringify(tool.initial))
        : [];
    const { index: callIndex, id, name } = tool;
    return [
      ...events,
      { type: 'tool-call-end', index: callIndex, id, name, arguments: tool.arguments },
    ];
  }

  private stop(): ModelEvent[] {
    const events: ModelEvent[] = [];
    for (const blockIndex of [...this.tools.keys()]) events.push(...this.blockStop(blockIndex));
    if (this.usage) events.push({ type: 'usage', usage: this.usage });
    events.push(toFinishEvent(this.stopReason, this.stopSequence));
    this.ended = true;
    return events;
  }
}

/**
 * Decodes an upstream Anthropic Messages stream into neutral events. Never throws: a failure of
 * the source arrives as a final `error` event (a RampartError from the source keeps its code,
 * anything else becomes `RAMPART_UPSTREAM_ERROR`).
 */
export async function* decodeMessagesStream(
  events: AsyncIterable<SseEvent>,
  options: { onSkippedPayload?: (data: string) => void } = {},
): AsyncIterable<ModelEvent> {
  const decoder = new MessagesStreamDecoder(options.onSkippedPayload);
  try {
    for await (const event of events) {
      yield* decoder.accept(event);
      if (decoder.done) return;
    }
  } catch (error) {
    yield* decoder.fail(toRampartError(error, 'RAMPART_UPSTREAM_ERROR'));
    return;
  }
  yield* decoder.end();
}
