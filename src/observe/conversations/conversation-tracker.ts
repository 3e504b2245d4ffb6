import { hash } from 'node:crypto';
import { textOf, type Message } from '../../core/conversation.js';
import type { Turn } from '../../runtime/turn.js';
import type { ConversationEnded, Telemetry } from '../telemetry.js';
import { turnOutcome, turnTokens } from '../turn-facts.js';

/** What this instance knows of one conversation it served. */
interface Conversation {
  turns: number;
  tokens: number;
  costNanos: number;
  lastAt: number;
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
 * A digest of user text or of a client's own id: the tracker keeps no text, and an entry stays
 * small whatever was sent. The one-shot form costs a third of a `createHash` chain on the short
 * texts most turns carry; collisions would only blur a metric.
 */
function digest(parts: readonly string[]): string {
  return hash('sha256', parts.join('\u0000'), 'base64url');
}

function lastUserText(messages: readonly Message[]): string | undefined {
  const message = messages.findLast((candidate) => candidate.role === 'user');
  return message && message.role === 'user' ? textOf(message.content) : undefined;
}

/**
 * Which conversation a turn belongs to. A session or a client-named conversation says so; a
 * stateless request is known by its user and its first user message, which stays the same as its
 * history grows and when the client regenerates an answer. Keys are digests: no user text is kept.
 */
function conversationKey(turn: Turn): string {
  const { principal, sessionId, conversationId, messages } = turn.input;
  // Session ids are Rampart's own and short: they need no digest.
  if (sessionId !== undefined) return `session\u0000${principal.userId}\u0000${sessionId}`;
  if (conversationId !== undefined) return digest(['named', principal.userId, conversationId]);
  const first = messages.find((message) => message.role === 'user');
  const opening = first && first.role === 'user' ? textOf(first.content) : '';
  return digest(['stateless', principal.userId, opening]);
}

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

  /** Records a settled turn; true when it re-sent the user message the conversation just sent. */
  record(turn: Turn, at: number): boolean {
    const key = conversationKey(turn);
    const text = lastUserText(turn.input.messages);
    const userDigest = text === undefined ? undefined : digest([text]);
    const known = this.#conversations.get(key);
    const retry =
      known !== undefined && userDigest !== undefined && known.lastUserDigest === userDigest;
    const conversation = known ?? {
      turns: 0,
      tokens: 0,
      costNanos: 0,
      lastAt: at,
      lastUserDigest: undefined,
      lastFailed: false,
    };
    conversation.turns += 1;
    conversation.tokens += turnTokens(turn);
    conversation.costNanos += turn.cost?.total ?? 0;
    conversation.lastAt = at;
    conversation.lastUserDigest = userDigest;
    conversation.lastFailed = turnOutcome(turn) === 'error';
    // Re-inserted so the map's order is least recently active first.
    this.#conversations.delete(key);
    this.#conversations.set(key, conversation);
    this.#evictOverflow(at);
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
    for (const [key, conversation] of this.#conversations) {
      if (this.#conversations.size <= this.#options.maxConversations) return;
      this.#end(key, conversation, now);
    }
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
