import { RampartError, type ModelEvent, type Usage } from '../../core/index.js';
import { toOpenAIFinishReason } from './finish-reason.js';
import { toOpenAIUsage } from './usage.js';

/** Who the streamed completion is: the same on every chunk. */
export interface ChatChunkEncoderOptions {
  id: string;
  model: string;
  /** Unix seconds. */
  created: number;
  /** The client's `stream_options.include_usage`. */
  includeUsage: boolean;
}

/** Turns model events into `chat.completion.chunk` payloads, each the data of one SSE event. */
export interface ChatChunkEncoder {
  /** The payloads (JSON text) for one event; often none, never an empty one. */
  encode(event: ModelEvent): string[];
  /**
   * The closing payloads once the events are done: the usage-only chunk when the client asked
   * for it, then `[DONE]`. After an error, nothing. If no `finish` event came, the stream did not
   * end cleanly, so this returns an error payload instead of pretending it did.
   */
  finish(): string[];
}

/**
 * Creates an encoder that follows OpenAI's streaming format
 * (https://platform.openai.com/docs/api-reference/chat-streaming): `role` on the first chunk
 * only; each tool call opened with its `index`, `id`, `type` and name, then argument fragments;
 * a chunk with `finish_reason`; with `include_usage`, `usage: null` on every chunk and one last
 * chunk with `choices: []` and the totals; then `[DONE]`. An error becomes one
 * `{"error": {...}}` payload, with no made-up `finish_reason` and no `[DONE]`.
 */
export function createChatChunkEncoder(options: ChatChunkEncoderOptions): ChatChunkEncoder {
  return new ChunkEncoder(options);
}

class ChunkEncoder implements ChatChunkEncoder {
  private roleSent = false;
  private state: 'open' | 'finished' | 'failed' = 'open';
  private usage: Usage | undefined;
  /** The argument text already sent for each open tool call. */
  private readonly sentArguments = new Map<number, string>();

  constructor(private readonly options: ChatChunkEncoderOptions) {}

  encode(event: ModelEvent): string[] {
    if (this.state === 'failed') return [];
    if (event.type === 'usage') {
      this.usage = event.usage;
      return [];
    }
    if (event.type === 'error') return this.fail(event.error);
    if (this.state === 'finished') return [];
    return this.encodeOpen(event);
  }

  finish(): string[] {
    if (this.state === 'failed') return [];
    if (this.state === 'open') {
      return this.fail(
        new RampartError('RAMPART_UPSTREAM_STREAM_TRUNCATED', 'The model stream ended early'),
      );
    }
    const closing: string[] = [];
    if (this.options.includeUsage && this.usage) closing.push(this.usageChunk(this.usage));
    closing.push('[DONE]');
    return closing;
  }

  private encodeOpen(event: Exclude<ModelEvent, { type: 'usage' | 'error' }>): string[] {
    switch (event.type) {
      case 'text-delta':
        return event.text === '' ? [] : [this.chunk({ content: event.text })];
      case 'tool-call-start':
        return [this.startCall(event.index, event.id, event.name, '')];
      case 'tool-call-delta':
        return this.appendArguments(event.index, event.argumentsDelta);
      case 'tool-call-end':
        return this.endCall(event);
      case 'finish':
        if (event.reason === 'error') {
          return this.fail(new RampartError('RAMPART_UPSTREAM_ERROR', 'The model call failed'));
        }
        this.state = 'finished';
        return [this.chunk({}, toOpenAIFinishReason(event.reason))];
    }
  }

  private startCall(index: number, id: string, name: string, argumentsText: string): string {
    this.sentArguments.set(index, argumentsText);
    const call = { index, id, type: 'function', function: { name, arguments: argumentsText } };
    return this.chunk({ tool_calls: [call] });
  }

  private appendArguments(index: number, fragment: string): string[] {
    const sent = this.sentArguments.get(index);
    // A fragment for a call that was never opened has no id to go with; it cannot be sent.
    if (sent === undefined || fragment === '') return [];
    this.sentArguments.set(index, sent + fragment);
    return [this.chunk({ tool_calls: [{ index, function: { arguments: fragment } }] })];
  }

  /** Sends whatever part of the final arguments the deltas did not already carry. */
  private endCall(event: Extract<ModelEvent, { type: 'tool-call-end' }>): string[] {
    const sent = this.sentArguments.get(event.index);
    if (sent === undefined)
      return [this.startCall(event.index, event.id, event.name, event.arguments)];
    if (!event.arguments.startsWith(sent)) return [];
    return this.appendArguments(event.index, event.arguments.slice(sent.length));
  }

  private fail(error: RampartError): string[] {
    this.state = 'failed';
    return [JSON.stringify(error.toBody())];
  }

  private chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
    if (!this.roleSent) {
      this.roleSent = true;
      const content = 'tool_calls' in delta ? null : '';
      delta = { role: 'assistant', content, ...delta };
    }
    const choice = { index: 0, delta, logprobs: null, finish_reason: finishReason };
    return this.serialise([choice], null);
  }

  private usageChunk(usage: Usage): string {
    return this.serialise([], toOpenAIUsage(usage));
  }

  private serialise(choices: unknown[], usage: unknown): string {
    const { id, created, model, includeUsage } = this.options;
    const chunk = { id, object: 'chat.completion.chunk', created, model, choices };
    return JSON.stringify(includeUsage ? { ...chunk, usage } : chunk);
  }
}
