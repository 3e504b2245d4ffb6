import { RampartError, type ModelEvent, type Usage } from '../../core/index.js';
import { toAnthropicErrorBody } from './error-type.js';
import { toStopFields } from './stop-reason.js';
import { ToolInputGate } from './tool-input-gate.js';
import type { MessagesSseEvent } from './wire-types.js';
import { toAnthropicUsage } from './wire-usage.js';

export interface MessagesEventEncoderOptions {
  /** The message id, e.g. `msg_...`. */
  id: string;
  /** The model name the client asked for. */
  model: string;
  /** Prompt tokens, when known before the answer starts; reported in `message_start`. */
  inputTokens?: number;
  /** Error events carry Rampart's `code` and `param` too (see `toAnthropicErrorBody`). */
  withCode?: boolean;
  /**
   * Send a tool call only once its whole input is a JSON object (see `ToolInputGate`), as a
   * client's SDK needs. Off, calls stream as they come: the upstream simulator sends malformed
   * arguments on purpose.
   */
  checkToolInputs?: boolean;
}

/** Turns neutral model events into Anthropic Messages stream events, in order. */
export interface MessagesEventEncoder {
  encode(event: ModelEvent): MessagesSseEvent[];
  /**
   * Ends the stream if the events did not: a stream that stopped without `finish` or `error`
   * was cut short, so this emits an `error` event, never a made-up `message_stop` (P23).
   */
  finish(): MessagesSseEvent[];
}

interface ToolState {
  id: string;
  name: string;
  /** Argument text received but not yet sent, because another block was open. */
  held: string;
  /** All argument text received so far. */
  received: string;
  ended: boolean;
}

type Held = { kind: 'text'; text: string } | { kind: 'tool'; call: ToolState };
type OpenBlock = { kind: 'text'; index: number } | { kind: 'tool'; index: number; call: ToolState };

function sse(type: string, payload: Record<string, unknown>): MessagesSseEvent {
  return { event: type, data: JSON.stringify({ type, ...payload }) };
}

/** A `ping` event, for keeping an idle stream alive the way Anthropic does. */
export function pingEvent(): MessagesSseEvent {
  return sse('ping', {});
}

/** An Anthropic `error` event for a RampartError. */
export function errorEvent(
  error: RampartError,
  options: { withCode?: boolean } = {},
): MessagesSseEvent {
  return { event: 'error', data: JSON.stringify(toAnthropicErrorBody(error, options)) };
}

/**
 * The streaming encoder. Anthropic streams one content block at a time, while neutral tool calls
 * may interleave; events for anything but the open block are held, in order, and sent when the
 * open block ends. A text block opens on the first non-empty text, so an answer made only of
 * tool calls has no empty text block (P14).
 */
class Encoder implements MessagesEventEncoder {
  private out: MessagesSseEvent[] = [];
  private started = false;
  private done = false;
  private nextBlock = 0;
  private open: OpenBlock | undefined;
  private held: Held[] = [];
  private readonly calls = new Map<number, ToolState>();
  private usage: Usage | undefined;
  private readonly gate: ToolInputGate | undefined;

  constructor(private readonly options: MessagesEventEncoderOptions) {
    this.gate = options.checkToolInputs === true ? new ToolInputGate() : undefined;
  }

  encode(event: ModelEvent): MessagesSseEvent[] {
    if (this.done) return [];
    this.start();
    if (this.gate === undefined) this.handle(event);
    else for (const passed of this.gate.pass(event)) this.handle(passed);
    return this.take();
  }

  finish(): MessagesSseEvent[] {
    if (this.done) return [];
    this.start();
    const error = new RampartError('RAMPART_UPSTREAM_STREAM_TRUNCATED', 'The answer ended early');
    this.fail(error);
    return this.take();
  }

  private take(): MessagesSseEvent[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    const { id, model, inputTokens } = this.options;
    const usage = { input_tokens: inputTokens ?? 0, output_tokens: 0 };
    const message = { id, type: 'message', role: 'assistant', model, content: [] };
    const fields = { stop_reason: null, stop_sequence: null, usage };
    this.out.push(sse('message_start', { message: { ...message, ...fields } }));
  }

  private handle(event: ModelEvent): void {
    switch (event.type) {
      case 'text-delta':
        return this.text(event.text);
      case 'tool-call-start':
        return this.toolStart(event.index, event.id, event.name);
      case 'tool-call-delta':
        return this.toolDelta(event.index, event.argumentsDelta);
      case 'tool-call-end':
        return this.toolEnd(event.index, event.id, event.name, event.arguments);
      case 'usage':
        this.usage = event.usage;
        return;
      case 'finish':
        if (event.reason === 'error') {
          return this.fail(new RampartError('RAMPART_UPSTREAM_ERROR', 'The model call failed'));
        }
        return this.stop(toStopFields(event, this.calls.size > 0));
      case 'error':
        return this.fail(event.error);
    }
  }

  private text(text: string): void {
    if (text === '') return;
    if (this.open?.kind === 'tool') return this.holdText(text);
    this.sendText(text);
  }

  private holdText(text: string): void {
    const last = this.held.at(-1);
    if (last?.kind === 'text') last.text += text;
    else this.held.push({ kind: 'text', text });
  }

  private sendText(text: string): void {
    if (this.open?.kind !== 'text') {
      this.openBlock({ type: 'text', text: '' });
      this.open = { kind: 'text', index: this.nextBlock - 1 };
    }
    const delta = { type: 'text_delta', text };
    this.out.push(sse('content_block_delta', { index: this.open.index, delta }));
  }

  private toolStart(index: number, id: string, name: string): void {
    if (this.calls.has(index)) return;
    const call: ToolState = { id, name, held: '', received: '', ended: false };
    this.calls.set(index, call);
    if (this.open?.kind === 'tool') this.held.push({ kind: 'tool', call });
    else this.sendToolStart(call);
  }

  private sendToolStart(call: ToolState): void {
    this.closeBlock();
    this.openBlock({ type: 'tool_use', id: call.id, name: call.name, input: {} });
    this.open = { kind: 'tool', index: this.nextBlock - 1, call };
    const held = call.held;
    call.held = '';
    this.sendArguments(held);
  }

  private toolDelta(index: number, text: string): void {
    const call = this.calls.get(index);
    if (call === undefined || call.ended || text === '') return;
    call.received += text;
    if (this.open?.kind === 'tool' && this.open.call === call) this.sendArguments(text);
    else call.held += text;
  }

  private sendArguments(text: string): void {
    if (text === '' || this.open?.kind !== 'tool') return;
    const delta = { type: 'input_json_delta', partial_json: text };
    this.out.push(sse('content_block_delta', { index: this.open.index, delta }));
  }

  /** The end event carries the whole argument text; any part not streamed yet is sent now. */
  private toolEnd(index: number, id: string, name: string, text: string): void {
    if (!this.calls.has(index)) this.toolStart(index, id, name);
    const call = this.calls.get(index);
    if (call === undefined || call.ended) return;
    if (text.startsWith(call.received)) this.toolDelta(index, text.slice(call.received.length));
    call.ended = true;
    if (this.open?.kind === 'tool' && this.open.call === call) this.release();
  }

  /** Closes the open block and sends what was held behind it, until a live call is open. */
  private release(): void {
    this.closeBlock();
    while (this.held.length > 0 && this.open?.kind !== 'tool') {
      const next = this.held.shift();
      if (next?.kind === 'text') this.sendText(next.text);
      if (next?.kind === 'tool') {
        this.sendToolStart(next.call);
        if (next.call.ended) this.closeBlock();
      }
    }
  }

  private stop(delta: ReturnType<typeof toStopFields>): void {
    for (const call of this.calls.values()) call.ended = true;
    this.release();
    this.closeBlock();
    const fallback = { inputTokens: this.options.inputTokens ?? 0, outputTokens: 0 };
    const usage = toAnthropicUsage(this.usage ?? fallback);
    this.out.push(sse('message_delta', { delta, usage }));
    this.out.push(sse('message_stop', {}));
    this.done = true;
  }

  private fail(error: RampartError): void {
    this.out.push(errorEvent(error, { withCode: this.options.withCode === true }));
    this.done = true;
  }

  private openBlock(block: Record<string, unknown>): void {
    this.out.push(sse('content_block_start', { index: this.nextBlock, content_block: block }));
    this.nextBlock += 1;
  }

  private closeBlock(): void {
    if (this.open === undefined) return;
    this.out.push(sse('content_block_stop', { index: this.open.index }));
    this.open = undefined;
  }
}

/**
 * Creates an encoder for one streamed answer: `message_start` first, then content blocks with
 * consecutive indexes, then `message_delta` (stop reason and usage) and `message_stop`, or an
 * `error` event instead of the ending when the call failed.
 */
export function createMessagesEventEncoder(
  options: MessagesEventEncoderOptions,
): MessagesEventEncoder {
  return new Encoder(options);
}
