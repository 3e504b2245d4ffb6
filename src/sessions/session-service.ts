import { RampartError, type Message, type Principal } from '../core/index.js';
import type { SessionRecord, SessionStatePatch, SessionStore } from '../store/index.js';
import type { CheckpointWrite } from './turn-journal.js';

/** What a turn commits: its new messages, and changes to the session's state. */
export interface TurnCommit {
  messages: Message[];
  state?: SessionStatePatch;
  /** Messages a checkpoint of this turn wrote as stand-ins, which `messages` replace. */
  replaceLast?: number;
}

/**
 * Produces a turn's new messages (and any state changes) from the session as it stood when the
 * turn began. `checkpoint` saves messages before the turn ends, under its lease.
 */
export type TurnWork = (
  record: SessionRecord,
  checkpoint: CheckpointWrite,
) => Promise<Message[] | TurnCommit>;

/** How long a delete holds a session's turn lease: a delete is one write. */
const DELETE_LEASE_MS = 10_000;

/**
 * Sessions as the HTTP layer uses them: always bound to the authenticated principal, so one
 * user can never reach another's conversation. Unknown and foreign sessions fail alike.
 */
export class SessionService {
  constructor(private readonly store: SessionStore) {}

  createSession(
    principal: Principal,
    assistant: string,
    metadata?: Record<string, unknown>,
  ): Promise<SessionRecord> {
    return this.store.create(principal.userId, metadata ? { assistant, metadata } : { assistant });
  }

  /** Throws `RAMPART_SESSION_NOT_FOUND` for an unknown session or one the principal does not own. */
  async getSession(principal: Principal, id: string): Promise<SessionRecord> {
    const record = await this.store.get(principal.userId, id);
    if (!record) throw notFound(id);
    return record;
  }

  /**
   * Throws `RAMPART_SESSION_NOT_FOUND` like `getSession`, and `RAMPART_SESSION_BUSY` (409) while
   * a turn runs: deleted under a running turn, the session went while its tools still ran and
   * the turn then answered 404. The turn's lease is taken for the delete, so none can start.
   * Returns the session as it was deleted (what calls still waited for approval, say).
   */
  async deleteSession(principal: Principal, id: string): Promise<SessionRecord> {
    const owner = principal.userId;
    const lease = await this.store.beginTurn(owner, id, { leaseMs: DELETE_LEASE_MS });
    if (lease === 'not-found') throw notFound(id);
    if (lease === 'busy') throw busy(id);
    try {
      const record = await this.store.get(owner, id);
      if (!record || !(await this.store.delete(owner, id))) throw notFound(id);
      return record;
    } catch (error) {
      // Not deleted: the session stays usable at once rather than when the lease runs out.
      await this.store.releaseTurn(owner, id, lease.token).catch(() => false);
      throw error;
    }
  }

  /**
   * Runs one turn under the session's lease: `work` sees the session, returns the turn's new
   * messages, and they are committed atomically. A session with a turn in progress fails with
   * `RAMPART_SESSION_BUSY` (409). Whatever goes wrong, the lease is released so the next turn is
   * not locked out until it expires.
   */
  async withTurn(
    principal: Principal,
    id: string,
    leaseMs: number,
    work: TurnWork,
  ): Promise<SessionRecord> {
    const owner = principal.userId;
    const lease = await this.store.beginTurn(owner, id, { leaseMs });
    if (lease === 'not-found') throw notFound(id);
    if (lease === 'busy') throw busy(id);

    let checkpointed = false;
    const checkpoint: CheckpointWrite = async (messages, replaceLast) => {
      const options = { keepLease: true, replaceLast };
      const saved = await this.store.commitTurn(owner, id, lease.token, messages, options);
      if (saved === 'not-found') throw notFound(id);
      if (saved === 'lease-lost') throw leaseLost(id, leaseMs, checkpointed);
      checkpointed = true;
    };
    // A turn that runs long (a slow tool, a long answer) keeps its lease while its process is
    // alive: another request meanwhile is told the session is busy, instead of taking the
    // session from under a turn whose checkpoint already holds calls being made.
    const renewal = setInterval(
      () => {
        this.store.renewTurn(owner, id, lease.token, leaseMs).catch(() => false);
      },
      Math.max(1, Math.floor(leaseMs / 3)),
    );
    renewal.unref();
    let outcome;
    try {
      const done = await work(lease.record, checkpoint);
      const commit = Array.isArray(done) ? { messages: done } : done;
      const options = {
        ...(commit.state ? { state: commit.state } : {}),
        ...(commit.replaceLast ? { replaceLast: commit.replaceLast } : {}),
      };
      outcome = await this.store.commitTurn(owner, id, lease.token, commit.messages, options);
    } catch (error) {
      clearInterval(renewal);
      await this.store.releaseTurn(owner, id, lease.token).catch(() => false);
      throw error;
    }
    clearInterval(renewal);
    if (outcome === 'not-found') throw notFound(id);
    if (outcome === 'lease-lost') throw leaseLost(id, leaseMs, checkpointed);
    return outcome;
  }
}

function notFound(id: string): RampartError {
  return new RampartError('RAMPART_SESSION_NOT_FOUND', `No session '${shorten(id)}' was found.`);
}

function busy(id: string): RampartError {
  const message = `Session '${shorten(id)}' is busy with another turn; retry when it finishes.`;
  // Turns take seconds; a client told to come back in one second finds out soon enough.
  return new RampartError('RAMPART_SESSION_BUSY', message, { retryAfterSeconds: 1 });
}

function leaseLost(id: string, leaseMs: number, checkpointed: boolean): RampartError {
  const start = `The turn on session '${shorten(id)}' lost its ${leaseMs} ms lease`;
  if (!checkpointed)
    return new RampartError('RAMPART_SESSION_BUSY', `${start} and was not saved; retry the turn.`);
  // Its tool calls are in the history already: sent again, the turn would make them twice.
  const message = `${start}; the turn up to its tool calls was saved, the rest was not. Do not resend it.`;
  return new RampartError('RAMPART_SESSION_BUSY', message, { retryable: false });
}

/** Ids come from the client; a hostile one must not blow up an error message. */
function shorten(id: string): string {
  const text = String(id);
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}
