import type { ModelEvent } from '../../core/index.js';
import { parseJsonObject } from './json-value.js';

type ToolEnd = Extract<ModelEvent, { type: 'tool-call-end' }>;
type CallState = 'pending' | 'object' | 'empty' | 'dropped';

function callIndex(event: ModelEvent): number | undefined {
  return event.type === 'tool-call-start' ||
    event.type === 'tool-call-delta' ||
    event.type === 'tool-call-end'
    ? event.index
    : undefined;
}

/** What a call's whole argument text makes of it, by the rule `buildMessage` follows. */
function judge(args: string): CallState {
  if (args.trim() === '') return 'empty';
  return parseJsonObject(args) === undefined ? 'dropped' : 'object';
}

/**
 * Holds the answer's events back while a tool call is open, and lets the call out only once its
 * whole argument text is known to be a JSON object, as a whole answer does (`buildMessage`).
 * Anthropic's `tool_use` input is always an object, and its SDKs parse a streamed input when its
 * block ends: a call sent as it came, with a trailing comma, an unquoted key or an array, made
 * the SDK throw and its client lose the whole message. A call with no argument text goes out as
 * `{}`; one that is not an object, or that the answer's end cut short, is left out. Events leave
 * in the order they came, so blocks keep the order of their calls; a call's input therefore
 * arrives whole, when the call ends, rather than in pieces.
 */
export class ToolInputGate {
  readonly #calls = new Map<number, CallState>();
  #queue: ModelEvent[] = [];

  /** The events to encode now, in order: none while the oldest held one waits on its call. */
  pass(event: ModelEvent): ModelEvent[] {
    this.#queue.push(this.#learn(event));
    return this.#release();
  }

  /** Records what `event` says of its call; returns the event to queue in its place. */
  #learn(event: ModelEvent): ModelEvent {
    switch (event.type) {
      case 'tool-call-start':
        if (!this.#calls.has(event.index)) this.#calls.set(event.index, 'pending');
        return event;
      case 'tool-call-end':
        return this.#end(event);
      case 'finish':
      case 'error':
        // The answer is over: a call still open was cut short, and has no whole input.
        for (const [index, state] of this.#calls) {
          if (state === 'pending') this.#calls.set(index, 'dropped');
        }
        return event;
      default:
        return event;
    }
  }

  #end(event: ToolEnd): ModelEvent {
    const state = this.#calls.get(event.index);
    if (state !== undefined && state !== 'pending') return event;
    const judged = judge(event.arguments);
    this.#calls.set(event.index, judged);
    return judged === 'empty' ? { ...event, arguments: '{}' } : event;
  }

  #release(): ModelEvent[] {
    let taken = 0;
    const out: ModelEvent[] = [];
    for (const event of this.#queue) {
      const index = callIndex(event);
      const state = index === undefined ? undefined : this.#calls.get(index);
      if (state === 'pending') break;
      taken += 1;
      if (state === 'dropped') continue;
      // An empty input's own deltas (blank text) would not parse: its end carries `{}` instead.
      if (state === 'empty' && event.type === 'tool-call-delta') continue;
      out.push(event);
    }
    // Nothing taken is the common case while a call is open: copying the queue then, on every
    // event, made a long call quadratic.
    if (taken === this.#queue.length) this.#queue = [];
    else if (taken > 0) this.#queue = this.#queue.slice(taken);
    return out;
  }
}
