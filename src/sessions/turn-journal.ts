import type { Message, ToolCall, ToolMessage } from '../core/index.js';

/** Writes messages under the turn's lease, keeping it, after removing the last `replaceLast`. */
export type CheckpointWrite = (messages: Message[], replaceLast: number) => Promise<void>;

export const INTERRUPTED_MESSAGE =
  'This call may have started, but the turn was interrupted before its result was saved. Its ' +
  'outcome is unknown, and it was not run again.';

/**
 * The stand-in results a checkpoint stores for calls about to run: if the process dies before
 * the turn commits, the history still pairs every call with a result, and that result says what
 * is known. The commit replaces them with the real results.
 */
export function interruptedResults(calls: readonly ToolCall[]): ToolMessage[] {
  return calls.map((call) => ({
    role: 'tool',
    toolCallId: call.id,
    content: INTERRUPTED_CONTENT,
    isError: true,
  }));
}

const INTERRUPTED_CONTENT = JSON.stringify({
  error: { code: 'RAMPART_TOOL_INTERRUPTED', message: INTERRUPTED_MESSAGE },
});

/**
 * What a session turn has saved of itself so far. Before calls with side effects run, a
 * checkpoint stores the turn's messages up to them, with a stand-in result for each; the
 * commit at the end stores the rest and replaces the stand-ins. A process that dies in between
 * leaves a history in which those calls have an interrupted result: a retry of the turn sees
 * them made once, and runs nothing twice.
 */
export class TurnJournal {
  readonly #stored: (produced: readonly Message[]) => Message[];
  readonly #write: CheckpointWrite;
  /** How many messages of the turn's stored list are saved. */
  #saved = 0;
  /** Stand-in results at the end of the saved history. */
  #standIns = 0;

  /** `stored` gives what the turn adds to the history for the messages it produced. */
  constructor(stored: (produced: readonly Message[]) => Message[], write: CheckpointWrite) {
    this.#stored = stored;
    this.#write = write;
  }

  /** Saves the turn up to `running`, the calls about to run, each with its stand-in result. */
  async checkpoint(produced: readonly Message[], running: readonly ToolCall[]): Promise<void> {
    const messages = this.#stored(produced);
    const standIns = interruptedResults(running);
    await this.#write([...messages.slice(this.#saved), ...standIns], this.#standIns);
    this.#saved = messages.length;
    this.#standIns = standIns.length;
  }

  /**
   * What the commit writes: the whole turn again, in place of what the checkpoints saved. The
   * turn's end may still change what was saved: the output filter redacts with values that
   * later tool results taught it, and a leak cut replaces a step's messages.
   */
  commit(produced: readonly Message[]): { messages: Message[]; replaceLast: number } {
    return { messages: this.#stored(produced), replaceLast: this.#saved + this.#standIns };
  }
}

/**
 * Whether a new message is the client sending again the turn an interruption cut short: the
 * history ends in interrupted results, and the user message that opened that turn is the same.
 * Then the turn goes on from where it was cut, instead of adding the message a second time.
 */
export function isRetryOfInterrupted(history: readonly Message[], user: Message): boolean {
  let index = history.length - 1;
  let interrupted = false;
  while (index >= 0 && history[index]?.role === 'tool') {
    interrupted ||= (history[index] as ToolMessage).content === INTERRUPTED_CONTENT;
    index--;
  }
  if (!interrupted) return false;
  for (; index >= 0; index--) {
    const message = history[index];
    if (message?.role === 'user') return JSON.stringify(message) === JSON.stringify(user);
  }
  return false;
}
