import type { Message } from '../core/index.js';

/** A server-held conversation, owned by one user. */
export interface SessionRecord {
  /** `sess_` followed by 24 random base64url characters. */
  id: string;
  /** The owning user's id. */
  owner: string;
  /** The configured assistant the session talks to. */
  assistant: string;
  metadata: Record<string, unknown>;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601; changes when a turn is committed. */
  updatedAt: string;
  /** Every committed message, in order. */
  messages: Message[];
  /**
   * What Rampart keeps about the conversation for itself (a running summary, a routing
   * escalation), by name. Never set by clients; written only with a turn's commit.
   */
  state: Record<string, unknown>;
}

/**
 * Changes to a session's `state`, by name: a value replaces that entry whole, `null` removes it.
 * Entries not named are left as they are.
 */
export type SessionStatePatch = Readonly<Record<string, unknown>>;

/** What a turn commits besides its messages. */
export interface CommitTurnOptions {
  state?: SessionStatePatch;
  /**
   * Writes a checkpoint: the messages and state are stored, and the lease stays with the turn,
   * which commits again later. What a turn has done so far survives the process dying.
   */
  keepLease?: boolean;
  /**
   * Removes this many messages from the end of the history before appending: the stand-ins a
   * checkpoint wrote for results not known yet, replaced by the real ones.
   */
  replaceLast?: number;
}

export interface CreateSessionInput {
  assistant: string;
  metadata?: Record<string, unknown>;
}

export interface BeginTurnOptions {
  /** How long the lease holds if it is never committed or released (a crashed process). */
  leaseMs: number;
}

/** A taken turn: the lease token to commit or release with, and the session as it stood. */
export interface TurnLease {
  token: string;
  record: SessionRecord;
}

export type BeginTurnOutcome = TurnLease | 'busy' | 'not-found';

/** The session after the commit, or why nothing was written. */
export type CommitTurnOutcome = SessionRecord | 'lease-lost' | 'not-found';

/**
 * Conversations keyed by (owner, id). A session of another owner behaves exactly as one that
 * does not exist. Turns are serialised by a lease: one turn at a time per session, and a lease
 * that is never committed or released expires so the next turn can start.
 */
export interface SessionStore {
  create(owner: string, input: CreateSessionInput): Promise<SessionRecord>;
  get(owner: string, id: string): Promise<SessionRecord | undefined>;
  /** `false` when there was no such session for this owner. */
  delete(owner: string, id: string): Promise<boolean>;
  /** Takes the turn lease if it is free or expired. */
  beginTurn(owner: string, id: string, options: BeginTurnOptions): Promise<BeginTurnOutcome>;
  /**
   * Appends the messages, applies the state patch and releases the lease in one atomic step.
   * Nothing is written when the lease expired or was taken by another turn.
   */
  commitTurn(
    owner: string,
    id: string,
    token: string,
    newMessages: readonly Message[],
    options?: CommitTurnOptions,
  ): Promise<CommitTurnOutcome>;
  /**
   * Holds the lease `leaseMs` more from now, for a turn still running; `false` when the token
   * no longer holds it (it ran out and another turn took it).
   */
  renewTurn(owner: string, id: string, token: string, leaseMs: number): Promise<boolean>;
  /** Releases the lease without writing; `false` when the token no longer holds it. */
  releaseTurn(owner: string, id: string, token: string): Promise<boolean>;
}
