import { textOf, type Message } from '../../core/conversation.js';
import type { Turn } from '../../runtime/turn.js';
import type { ConversationEnded, SettledTurn, Telemetry } from '../telemetry.js';
import { turnOutcome, turnTokens } from '../turn-facts.js';
import { textDigest } from './text-digest.js';

/** What this instance knows of one conversation it served. */
interface Conversation {
  turns: number;
  tokens: number;
  costNanos: number;
  lastAt: number;
  /** When it last moved to the end of the map's order (see `record`). */
  movedAt: number;
  /** Digest of the last user message, to see the same message sent again. */
  lastUserDigest: string | undefined;
  lastFailed: boolean;
}

export interface ConversationTrackerOptions {
  telemetry: Telemetry;
  /** Quiet this long, a conversation has ended. */
  idleMs: number;
  /** Most conversations held at once; the least recently active is ended early past it. */
  maxConversations: number;
}

/**
 * A turn's conversation, and the digest of the user message it answers (absent: it answers
 * none, as a turn that carries tool results or resumes after an approval does).
 */
export interface ConversationIdentity {
  key: string;
  userDigest: string | undefined;
}

/** The user message a turn answers and the digest of its text (see `text-digest.ts`). */
interface LastAsk {
  message: Message | undefined;
  digest: string | undefined;
}

/**
 * The last message, when it is the user's. A turn whose history ends in tool results (a client
 * sending its tools' output, a session resuming after the user approved a call) goes on with
 * the same question: the user message before them is not sent again, and is no retry.
 */
function lastAsk(messages: readonly Message[]): LastAsk {
  const message = messages.at(-1);
  if (!message || message.role !== 'user') return { message: undefined, digest: undefined };
  return { message, digest: textDigest(textOf(message.content)) };
}

/**
 * Which conversation a turn belongs to. A session or a client-named conversation says so; a
 * stateless request is known by its user and its first user message, which stays the same as its
 * history grows and when the client regenerates an answer. Texts and client ids are kept as
 * digests only; a request of one user message digests it once, for both questions.
 */
function conversationKey(turn: Turn, last: LastAsk): string {
  const { principal, sessionId, conversationId, messages } = turn.input;
  // Session ids are Rampart's own and short: they need no digest.
  if (sessionId !== undefined) return `session\u0000${principal.userId}\u0000${sessionId}`;
  if (conversationId !== undefined)
    return `named\u0000${principal.userId}\u0000${textDigest(conversationId)}`;
  const first = messages.find((message) => message.role === 'user');
  const opening =
    first === last.message
      ? (last.digest ?? textDigest(''))
      : textDigest(first && first.role === 'user' ? textOf(first.content) : '');
  return `stateless\u0000${principal.userId}\u0000${opening}`;
}

/**
 * A conversation moves to the end of the map (the most recently active end) at most once in this
 * share of the idle window. Why not on every turn: a delete and a set per turn churned the map
 * (it re-hashes as deleted entries pile up) and were a sixth of the telemetry's per-turn work.
 * The price: the map is in order of activity only to within `idleMs / 8`, so a sweep (which
 * stops at the first conversation still active) may see an end up to that much late. An overflow
 * gives a conversation that had a turn since it last moved a second chance (it moves then, and
 * the next one is looked at), so what it ends has had no turn since its place was set.
 */
const MOVE_SHARE = 8;

/**
 * Follows the conversations this instance serves, for the signals that span turns: a user message
 * sent again (a retry, or an answer regenerated), the length, tokens and cost of a conversation
 * once it has gone quiet, and a user who left right after an error. Memory is bounded; nothing of
 * what users wrote is kept, only digests.
 *
 * A conversation whose turns land on several instances is seen in part by each: its per-
 * conversation histograms are then per instance. Session affinity at the load balancer makes
 * them exact.
 */
export class ConversationTracker {
  readonly #conversations = new Map<string, Conversation>();
  readonly #options: ConversationTrackerOptions;

  constructor(options: ConversationTrackerOptions) {
    this.#options = options;
  }

  /**
   * Which conversation a turn belongs to and the digest of its user message: all `record` needs
   * of the turn's messages, for a caller that records the turn later without holding them.
   */
  identify(turn: Turn): ConversationIdentity {
    const last = lastAsk(turn.input.messages);
    return { key: conversationKey(turn, last), userDigest: last.digest };
  }

  /**
   * Records a settled turn, identified by {@link identify} while it still had its messages; true
   * when it re-sent the user message the conversation just sent.
   */
  record(turn: Turn, at: number, identity?: ConversationIdentity): boolean;
  record(turn: SettledTurn, at: number, identity: ConversationIdentity): boolean;
  record(turn: SettledTurn, at: number, identity?: ConversationIdentity): boolean {
    // Only a whole turn comes without its identity (the overloads above), and it has messages.
    const { key, userDigest } = identity ?? this.identify(turn as Turn);
    const known = this.#conversations.get(key);
    const retry =
      known !== undefined && userDigest !== undefined && known.lastUserDigest === userDigest;
    const conversation = known ?? {
      turns: 0,
      tokens: 0,
      costNanos: 0,
      lastAt: at,
      movedAt: at,
      lastUserDigest: undefined,
      lastFailed: false,
    };
    conversation.turns += 1;
    conversation.tokens += turnTokens(turn);
    conversation.costNanos += turn.cost?.total ?? 0;
    conversation.lastAt = at;
    // A turn that answers no new user message (tool results, a decision) goes on with the
    // question before it: that question stays the one a re-send would repeat.
    conversation.lastUserDigest = userDigest ?? conversation.lastUserDigest;
    conversation.lastFailed = turnOutcome(turn) === 'error';
    if (known === undefined) {
      this.#conversations.set(key, conversation);
      if (this.#conversations.size > this.#options.maxConversations) this.#evictOverflow(at);
    } else if (at - known.movedAt >= this.#options.idleMs / MOVE_SHARE) {
      // Re-inserted so the map's order stays least recently active first (to within a share).
      this.#moveToEnd(key, known, at);
    }
    return retry;
  }

  /** Ends every conversation quiet for the idle window as of `now`. */
  sweep(now: number): void {
    for (const [key, conversation] of this.#conversations) {
      // Least recently active first: the first one still active ends the sweep.
      if (now - conversation.lastAt < this.#options.idleMs) return;
      this.#end(key, conversation, now);
    }
  }

  /** Conversations held right now. */
  get size(): number {
    return this.#conversations.size;
  }

  #evictOverflow(now: number) {
    // A conversation moved here comes round again with `lastAt === movedAt`: the loop ends.
    for (const [key, conversation] of this.#conversations) {
      if (this.#conversations.size <= this.#options.maxConversations) return;
      if (conversation.lastAt > conversation.movedAt) {
        this.#moveToEnd(key, conversation, conversation.lastAt);
        continue;
      }
      this.#end(key, conversation, now);
    }
  }

  /** Re-inserted at the most recently active end of the map, its place set as of `at`. */
  #moveToEnd(key: string, conversation: Conversation, at: number) {
    conversation.movedAt = at;
    this.#conversations.delete(key);
    this.#conversations.set(key, conversation);
  }

  #end(key: string, conversation: Conversation, at: number) {
    this.#conversations.delete(key);
    const event: ConversationEnded = {
      type: 'conversation',
      at,
      turns: conversation.turns,
      tokens: conversation.tokens,
      costNanos: conversation.costNanos,
      abandonedAfterError: conversation.lastFailed,
    };
    this.#options.telemetry.emit(event);
  }
}
