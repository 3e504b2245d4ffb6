import type { ModelEvent } from '../../core/index.js';

type CallState = { kind: 'pending'; text: string } | { kind: 'object' } | { kind: 'dropped' };

/** Whether argument text can still be a JSON object: false once its first character is not `{`. */
function opensObject(text: string): boolean | undefined {
  const first = text.trimStart()[0];
  return first === undefined ? undefined : first === '{';
}

function callIndex(event: ModelEvent): number | undefined {
  return event.type === 'tool-call-start' ||
    event.type === 'tool-call-delta' ||
    event.type === 'tool-call-end'
    ? event.index
    : undefined;
}

/**
 * Holds the answer's events back while a tool call has not yet shown the first character of its
 * arguments, and drops the call when that is not `{`. An Anthropic `tool_use` input is always an
 * object, so a call whose arguments are an array, a number or prose has no faithful form: the
 * whole answer (see `buildMessage`) leaves it out, and a stream must too, or a client would get
 * an input it cannot send back (Rampart's own request schema refuses it). Events leave in the
 * order they came, so blocks keep the order of their calls; the hold is usually one delta long.
 * A call that starts as an object but is cut short (finish `length`) is streamed as far as it
 * got, since streamed deltas cannot be taken back; the SDKs read partial JSON as it is.
 */
export class ToolInputGate {
  readonly #calls = new Map<number, CallState>();
  #queue: ModelEvent[] = [];

  /** The events to encode now, in order: none while the oldest held one waits on its call. */
  pass(event: ModelEvent): ModelEvent[] {
    this.#learn(event);
    this.#queue.push(event);
    return this.#release();
  }

  #learn(event: ModelEvent): void {
    switch (event.type) {
      case 'tool-call-start':
        if (!this.#calls.has(event.index))
          this.#calls.set(event.index, { kind: 'pending', text: '' });
        return;
      case 'tool-call-delta': {
        const state = this.#calls.get(event.index);
        if (state?.kind !== 'pending') return;
        state.text += event.argumentsDelta;
        this.#decide(event.index, opensObject(state.text));
        return;
      }
      case 'tool-call-end': {
        const state = this.#calls.get(event.index);
        if (state !== undefined && state.kind !== 'pending') return;
        // Empty arguments are an empty input, `{}`, as in a whole answer.
        this.#decide(event.index, opensObject(event.arguments) ?? true);
        return;
      }
      case 'finish':
      case 'error':
        // The answer is over: a call with no argument text yet goes out as it is.
        for (const [index, state] of this.#calls) {
          if (state.kind === 'pending') this.#decide(index, true);
        }
        return;
      default:
        return;
    }
  }

  #decide(index: number, object: boolean | undefined): void {
    if (object === undefined) return;
    this.#calls.set(index, { kind: object ? 'object' : 'dropped' });
  }

  #release(): ModelEvent[] {
    let taken = 0;
    const out: ModelEvent[] = [];
    for (const event of this.#queue) {
      const index = callIndex(event);
      const state = index === undefined ? undefined : this.#calls.get(index);
      if (state?.kind === 'pending') break;
      taken += 1;
      if (state?.kind !== 'dropped') out.push(event);
    }
    this.#queue = taken === this.#queue.length ? [] : this.#queue.slice(taken);
    return out;
  }
}
