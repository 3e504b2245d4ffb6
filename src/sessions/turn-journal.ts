import type { Message, ToolMessage } from '../core/index.js';
import { settledApprovalTail } from './pending-calls.js';

/** Writes messages under the turn's lease, keeping it, after removing the last `replaceLast`. */
export type CheckpointWrite = (messages: Message[], replaceLast: number) => Promise<void>;

/**
 * What a session turn has saved of itself so far. Before calls that may change something run, a
 * checkpoint stores the turn's messages up to them, with a result for each call (an interrupted
 * stand-in for those about to run); after them, another stores their real results in place of
 * the stand-ins. The commit at the end writes the whole turn again over what was saved. A
 * process that dies in between leaves a history that pairs every call with a result and says
 * which outcomes are unknown: a retry of the turn sees the calls made once, and runs nothing
 * twice.
 */
export class TurnJournal {
  readonly #stored: (produced: readonly Message[]) => Message[];
  readonly #write: CheckpointWrite;
  /** The session's history as the turn found it. */
  readonly #history: readonly Message[];
  /** How many messages of the turn's stored list are saved. */
  #saved = 0;
  /** Results saved after them that the next write replaces. */
  #pending = 0;
  /**
   * How many messages at the end of the history the saves have written again (see `#tailOf`),
   * 0 while they have not.
   */
  #rewritten = 0;
  #committed = false;

  /**
   * `stored` gives what the turn adds to the history for the messages it produced; `history` is
   * the session's history when the turn began.
   */
  constructor(
    stored: (produced: readonly Message[]) => Message[],
    write: CheckpointWrite,
    history: readonly Message[] = [],
  ) {
    this.#stored = stored;
    this.#write = write;
    this.#history = history;
  }

  /**
   * Saves the turn's messages so far, then `pending`, which the next write replaces. A bound
   * function, to be handed to the turn as its `checkpoint`.
   */
  readonly checkpoint = async (
    produced: readonly Message[],
    pending: readonly ToolMessage[],
  ): Promise<void> => {
    const messages = this.#stored(produced);
    const tail = this.#tailOf([...messages, ...pending]);
    if (tail === undefined) {
      await this.#write([...messages.slice(this.#saved), ...pending], this.#pending);
    } else {
      // Written from the tail on: what the saves wrote before goes, and the tail with it.
      const replaced = tail.length + this.#saved + this.#pending;
      await this.#write([...tail, ...messages, ...pending], replaced);
      this.#rewritten = tail.length;
    }
    this.#saved = messages.length;
    this.#pending = pending.length;
  };

  /**
   * What the commit writes: the whole turn again, in place of what the checkpoints saved. The
   * turn's end may still change what was saved: the output filter redacts with values that
   * later tool results taught it, and a leak cut replaces a step's messages. A turn that ends
   * with nothing produced (an error before anything was shown) takes its checkpoints back, and
   * puts back the end of the history they wrote again: its calls wait for approval once more.
   */
  commit(produced: readonly Message[]): { messages: Message[]; replaceLast: number } {
    const messages = this.#stored(produced);
    this.#committed = messages.length > 0;
    const tail = messages.length === 0 ? undefined : this.#tailOf(messages);
    if (tail !== undefined) {
      const replaceLast = tail.length + this.#saved + this.#pending;
      return { messages: [...tail, ...messages], replaceLast };
    }
    const replaceLast = this.#rewritten + this.#saved + this.#pending;
    const restored = this.#history.slice(this.#history.length - this.#rewritten);
    return { messages: [...restored, ...messages], replaceLast };
  }

  /**
   * Whether the last commit stores messages of the turn: what it decided (a decline above all)
   * is then on record, and may be audited. A turn taken back stores none.
   */
  get committed(): boolean {
    return this.#committed;
  }

  /**
   * The end of the history written again without the unredacted copies of the arguments of
   * calls that `messages` (what the turn is about to save) or the history give a result (see
   * `settledApprovalTail`), from no later than what an earlier save wrote again; undefined when
   * there is nothing to drop. Saved with the turn's first checkpoint, not only its commit: a
   * process that dies after a checkpoint leaves the calls settled (their outcome unknown), and
   * must not leave their copies behind.
   */
  #tailOf(messages: readonly Message[]): Message[] | undefined {
    const answered = new Set<string>();
    for (const message of messages) if (message.role === 'tool') answered.add(message.toolCallId);
    const tail = settledApprovalTail(this.#history, answered);
    if (tail === undefined || tail.length >= this.#rewritten) return tail;
    // An earlier save wrote more of the history again than this one would: that part is written
    // again as the history has it (it holds no copy to drop, or the tail would start there).
    const from = this.#history.length - this.#rewritten;
    const before = this.#history.slice(from, this.#history.length - tail.length);
    return [...before, ...tail];
  }
}

/**
 * Whether a new message is the client sending again a turn that did not finish: the history
 * ends in tool results that answer every call of the assistant message before them (a process
 * that died while tools ran or the model answered after them, a client that dropped the
 * connection, a model that failed after the tools), and the user message that opened that turn
 * is the same. Then the turn goes on from there, its calls seen as made, instead of the message
 * being added again and its calls made twice. A turn paused for approval has calls without a
 * result, and is no such turn.
 */
export function isRetryOfUnfinished(history: readonly Message[], user: Message): boolean {
  let index = history.length - 1;
  const answered = new Set<string>();
  while (index >= 0 && history[index]?.role === 'tool') {
    answered.add((history[index] as ToolMessage).toolCallId);
    index--;
  }
  const asking = history[index];
  if (answered.size === 0 || asking?.role !== 'assistant') return false;
  if (!asking.toolCalls.every((call) => answered.has(call.id))) return false;
  for (; index >= 0; index--) {
    const message = history[index];
    if (message?.role === 'user') return JSON.stringify(message) === JSON.stringify(user);
  }
  return false;
}
