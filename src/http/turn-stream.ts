import type { RampartError } from '../core/errors.js';
import type { TurnEvent } from '../runtime/index.js';

/** A turn's events held back until the first content, so an early failure can still set a status. */
export interface HeldTurn {
  /** Events read so far, to be sent first. */
  buffered: TurnEvent[];
  /** The failure that ended the turn before any content, if it did. */
  earlyError: RampartError | undefined;
  rest: AsyncIterator<TurnEvent>;
}

/** Events a chat completions client sees. */
export const CHAT_VISIBLE_EVENTS: ReadonlySet<TurnEvent['type']> = new Set([
  'text-delta',
  'tool-call-start',
  'tool-call-delta',
  'tool-call-end',
  'finish',
]);

/** Events a session API client sees: the model's own tool-call deltas stay on the server. */
export const SESSION_VISIBLE_EVENTS: ReadonlySet<TurnEvent['type']> = new Set([
  'text-delta',
  'tool-start',
  'tool-end',
  'finish',
]);

/**
 * Reads a turn until the first event its client would see (or its end). Until then no byte has
 * gone to the client, so a failure can still be answered with a proper status code and
 * `Retry-After` instead of an error inside a 200 stream.
 */
export async function holdUntilContent(
  events: AsyncIterable<TurnEvent>,
  visible: ReadonlySet<TurnEvent['type']>,
): Promise<HeldTurn> {
  const rest = events[Symbol.asyncIterator]();
  const buffered: TurnEvent[] = [];
  for (;;) {
    const next = await rest.next();
    if (next.done === true) return { buffered, earlyError: undefined, rest };
    const event = next.value;
    if (event.type === 'error') {
      await drain(rest);
      return { buffered, earlyError: event.error, rest };
    }
    buffered.push(event);
    if (visible.has(event.type)) return { buffered, earlyError: undefined, rest };
  }
}

/**
 * Iterates a held turn: the buffered events first, then the rest. A reader that stops early (a
 * write that failed, an encoder that threw) closes the turn's events too: the turn's `finally`
 * blocks, which settle its budget, record its usage and report it, run then rather than never.
 */
export async function* replay(held: HeldTurn): AsyncGenerator<TurnEvent> {
  let ended = false;
  try {
    yield* held.buffered;
    for (;;) {
      const next = await held.rest.next();
      if (next.done === true) {
        ended = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!ended) await held.rest.return?.();
  }
}

/** Runs an iterator to its end so its `finally` blocks (settling the turn) run. */
export async function drain(iterator: AsyncIterator<unknown>): Promise<void> {
  for (;;) {
    const next = await iterator.next();
    if (next.done === true) return;
  }
}
