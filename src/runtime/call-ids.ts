import { randomBytes } from 'node:crypto';
import type { Message, ModelEvent } from '../core/index.js';

/** The longest tool call id kept as the model wrote it: what a client can name in a decision. */
export const MAX_CALL_ID = 128;
// Ids are kept only in printable ASCII: a control or bidirectional character in one would show
// in the audit log and the client's view of a call as something else.
const PRINTABLE = /^[\x21-\x7e]+$/;

/**
 * The ids a turn's tool calls go by. A model (or a provider in front of one) may repeat an id,
 * within a step or from an earlier turn, or write one of any length or with any characters: a
 * repeated id made one approval run every call that had it, and left a result stored under the
 * wrong call; an id over the audit log's bound left a denied call unaudited, and one over
 * MAX_CALL_ID could never be approved. Such an id is replaced, as the call starts, by one of
 * Rampart's own, and the client, the tools, the audit log and the session all see that one.
 */
export class CallIds {
  readonly #used = new Set<string>();
  /** Per position in the current model call's answer: the id its call goes by. */
  readonly #byIndex = new Map<number, string>();

  constructor(messages: Iterable<Message>) {
    for (const message of messages) {
      if (message.role === 'tool') this.#used.add(message.toolCallId);
      else if (message.role === 'assistant') {
        for (const call of message.toolCalls) this.#used.add(call.id);
      }
    }
  }

  /** `event`, with the id its tool call goes by when it names one. */
  rename(event: ModelEvent): ModelEvent {
    if (event.type !== 'tool-call-start' && event.type !== 'tool-call-end') return event;
    const id = this.#idAt(event.index, event.id);
    return id === event.id ? event : { ...event, id };
  }

  #idAt(index: number, written: string): string {
    const known = this.#byIndex.get(index);
    if (known !== undefined) return known;
    const kept =
      PRINTABLE.test(written) && written.length <= MAX_CALL_ID && !this.#used.has(written);
    const id = kept ? written : `call_${randomBytes(12).toString('hex')}`;
    this.#used.add(id);
    this.#byIndex.set(index, id);
    return id;
  }
}
