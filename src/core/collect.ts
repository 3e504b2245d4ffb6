import type { ToolCall } from './conversation.js';
import type { RampartError } from './errors.js';
import type { FinishReason, ModelEvent, Usage } from './events.js';

/** A model call's events gathered into one response, as a non-streaming request returns it. */
export interface CollectedResponse {
  text: string;
  toolCalls: ToolCall[];
  usage: Usage | undefined;
  finishReason: FinishReason;
  /** The stop sequence that ended the answer, when the provider named it. */
  stopSequence?: string;
  error: RampartError | undefined;
}

/** Folds model events into a collected response; usable incrementally or over a whole stream. */
export class ResponseCollector {
  private text = '';
  private readonly calls = new Map<number, ToolCall>();
  private usage: Usage | undefined;
  private finishReason: FinishReason = 'error';
  private stopSequence: string | undefined;
  private error: RampartError | undefined;

  add(event: ModelEvent): void {
    switch (event.type) {
      case 'text-delta':
        this.text += event.text;
        return;
      case 'tool-call-start':
        this.calls.set(event.index, { id: event.id, name: event.name, arguments: '' });
        return;
      case 'tool-call-delta': {
        const call = this.calls.get(event.index);
        if (call) call.arguments += event.argumentsDelta;
        return;
      }
      case 'tool-call-end':
        this.calls.set(event.index, { id: event.id, name: event.name, arguments: event.arguments });
        return;
      case 'usage':
        this.usage = event.usage;
        return;
      case 'finish':
        this.finishReason = event.reason;
        this.stopSequence = event.stopSequence;
        return;
      case 'error':
        this.finishReason = 'error';
        this.error = event.error;
        return;
    }
  }

  result(): CollectedResponse {
    const toolCalls = [...this.calls.entries()].sort(([a], [b]) => a - b).map(([, call]) => call);
    return {
      text: this.text,
      toolCalls,
      usage: this.usage,
      finishReason: this.finishReason,
      ...(this.stopSequence === undefined ? {} : { stopSequence: this.stopSequence }),
      error: this.error,
    };
  }
}

/** Collects a whole event stream. */
export async function collectResponse(events: AsyncIterable<ModelEvent>) {
  const collector = new ResponseCollector();
  for await (const event of events) collector.add(event);
  return collector.result();
}
