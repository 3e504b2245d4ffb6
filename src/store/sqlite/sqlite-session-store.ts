import { RampartError, type Message } from '../../core/index.js';
import { newLeaseToken, newSessionId } from '../random-ids.js';
import {
  applyStateChanges,
  checkReplaceLast,
  stateChanges,
  type StateChange,
} from '../session-state.js';
import { isStorableText, requireText } from '../text-rules.js';
import type {
  BeginTurnOptions,
  BeginTurnOutcome,
  CommitTurnOptions,
  CommitTurnOutcome,
  CreateSessionInput,
  SessionRecord,
  SessionStore,
} from '../types.js';
import { isUniqueViolation, settle, type SqliteDatabase } from './database.js';
import { prepareSessionStatements, type SessionRow } from './session-statements.js';

export interface SqliteSessionStoreOptions {
  /**
   * A session not created or committed to for this long is gone: reads miss it, turns find
   * nothing, and its rows are purged in batches on later writes. Default: sessions never expire.
   */
  idleTtlMs?: number;
}

/** At most this long between purges of idle sessions (sooner when the idle limit is shorter). */
const PURGE_INTERVAL_MS = 60_000;

/**
 * Sessions in SQLite. Every statement names both the owner and the id, so another owner's
 * session is never read or written. Turn leases are taken and checked by single conditional
 * UPDATEs inside IMMEDIATE transactions, so two connections (or processes) cannot both win.
 */
export class SqliteSessionStore implements SessionStore {
  private readonly statements;
  private readonly idleTtlMs: number | undefined;
  private purgedAt = -Infinity;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly clock: () => number,
    options: SqliteSessionStoreOptions = {},
  ) {
    this.statements = prepareSessionStatements(database);
    this.idleTtlMs = options.idleTtlMs;
    if (this.idleTtlMs !== undefined) checkPositive(this.idleTtlMs, 'sessionIdleTtlMs');
  }

  create(owner: string, input: CreateSessionInput): Promise<SessionRecord> {
    return settle(() => {
      requireText(owner, 'owner');
      requireText(input.assistant, 'assistant');
      const metadata = JSON.stringify(checkMetadata(input.metadata));
      this.purgeIdle();
      for (;;) {
        const row = { id: newSessionId(), owner, assistant: input.assistant, metadata };
        try {
          this.statements.insert.run({ ...row, now: this.clock() });
        } catch (error) {
          if (isUniqueViolation(error)) continue;
          throw error;
        }
        return this.read(owner, row.id) as SessionRecord;
      }
    });
  }

  get(owner: string, id: string): Promise<SessionRecord | undefined> {
    return settle(() => (isKey(owner, id) ? this.read(owner, id) : undefined));
  }

  delete(owner: string, id: string): Promise<boolean> {
    return settle(
      () => isKey(owner, id) && this.statements.remove.run(this.where(owner, id)).changes > 0,
    );
  }

  beginTurn(owner: string, id: string, options: BeginTurnOptions): Promise<BeginTurnOutcome> {
    return settle(() => {
      checkPositive(options.leaseMs, 'leaseMs');
      if (!isKey(owner, id)) return 'not-found';
      return this.database
        .transaction(() => this.takeLease(owner, id, options.leaseMs))
        .immediate();
    });
  }

  commitTurn(
    owner: string,
    id: string,
    token: string,
    newMessages: readonly Message[],
    options: CommitTurnOptions = {},
  ): Promise<CommitTurnOutcome> {
    return settle(() => {
      if (!isKey(owner, id)) return 'not-found';
      const bodies = newMessages.map(serialiseMessage);
      const changes = stateChanges(options.state);
      const replaceLast = checkReplaceLast(options.replaceLast);
      const keepLease = options.keepLease === true;
      const commit = () =>
        this.append(owner, id, token, { bodies, changes, keepLease, replaceLast });
      const outcome = this.database.transaction(commit).immediate();
      this.purgeIdle();
      return outcome;
    });
  }

  renewTurn(owner: string, id: string, token: string, leaseMs: number): Promise<boolean> {
    return settle(() => {
      checkPositive(leaseMs, 'leaseMs');
      if (!isKey(owner, id) || typeof token !== 'string') return false;
      const now = this.clock();
      const where = this.where(owner, id, now);
      return (
        this.statements.renewLease.run({ ...where, token, expires: now + leaseMs }).changes > 0
      );
    });
  }

  releaseTurn(owner: string, id: string, token: string): Promise<boolean> {
    return settle(() => {
      if (!isKey(owner, id) || typeof token !== 'string') return false;
      return this.statements.release.run({ ...this.where(owner, id), token }).changes > 0;
    });
  }

  private takeLease(owner: string, id: string, leaseMs: number): BeginTurnOutcome {
    const now = this.clock();
    const token = newLeaseToken();
    const where = this.where(owner, id, now);
    const taken = this.statements.takeLease.run({ ...where, token, now, expires: now + leaseMs });
    if (taken.changes === 0) return this.exists(owner, id) ? 'busy' : 'not-found';
    return { token, record: this.read(owner, id) as SessionRecord };
  }

  private append(
    owner: string,
    id: string,
    token: string,
    work: { bodies: string[]; changes: StateChange[]; keepLease: boolean; replaceLast: number },
  ): CommitTurnOutcome {
    const now = this.clock();
    const lease = work.keepLease ? this.statements.touchLease : this.statements.closeLease;
    const held = lease.run({ ...this.where(owner, id, now), token, now });
    if (held.changes === 0) return this.exists(owner, id) ? 'lease-lost' : 'not-found';
    if (work.replaceLast > 0) this.statements.dropLast.run({ id, count: work.replaceLast });
    const { next } = this.statements.nextSeq.get(id) as { next: number };
    work.bodies.forEach((body, offset) => this.statements.addMessage.run(id, next + offset, body));
    const record = this.read(owner, id) as SessionRecord;
    if (work.changes.length === 0) return record;
    // Inside the commit's IMMEDIATE transaction: no other writer sits between read and write.
    record.state = applyStateChanges(record.state, work.changes);
    this.statements.setState.run({ id, owner, state: JSON.stringify(record.state) });
    return record;
  }

  private exists(owner: string, id: string): boolean {
    return this.statements.exists.get(this.where(owner, id)) !== undefined;
  }

  private read(owner: string, id: string): SessionRecord | undefined {
    const row = this.statements.select.get(this.where(owner, id)) as SessionRow | undefined;
    if (!row) return undefined;
    const bodies = this.statements.messages.pluck().all(id) as string[];
    return {
      id: row.id,
      owner: row.owner,
      assistant: row.assistant,
      metadata: JSON.parse(row.metadata) as Record<string, unknown>,
      state: JSON.parse(row.state) as Record<string, unknown>,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      messages: bodies.map((body) => JSON.parse(body) as Message),
    };
  }

  /** Names a live session: the owner, the id, and the oldest update that is not idle too long. */
  private where(owner: string, id: string, now = this.clock()) {
    return { owner, id, now, cutoff: this.cutoff(now) };
  }

  private cutoff(now: number): number {
    return this.idleTtlMs === undefined ? Number.MIN_SAFE_INTEGER : now - this.idleTtlMs;
  }

  private purgeIdle(): void {
    if (this.idleTtlMs === undefined) return;
    const now = this.clock();
    if (now - this.purgedAt < Math.min(this.idleTtlMs, PURGE_INTERVAL_MS)) return;
    this.purgedAt = now;
    this.statements.purge.run({ now, cutoff: this.cutoff(now) });
  }
}

/** A string that could not have been stored unaltered names no stored session. */
function isKey(owner: string, id: string): boolean {
  return typeof id === 'string' && isStorableText(owner) && isStorableText(id);
}

function checkMetadata(metadata: unknown): Record<string, unknown> {
  if (metadata === undefined) return {};
  if (typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata)) {
    return metadata as Record<string, unknown>;
  }
  throw new RampartError('RAMPART_INVALID_REQUEST', 'Session metadata must be a JSON object.');
}

function checkPositive(value: number, field: string): void {
  if (Number.isSafeInteger(value) && value > 0) return;
  throw new RampartError('RAMPART_INVALID_REQUEST', `${field} must be a positive integer.`);
}

function serialiseMessage(message: Message): string {
  const body = JSON.stringify(message) as string | undefined;
  if (typeof message !== 'object' || message === null || body === undefined) {
    throw new RampartError('RAMPART_INVALID_REQUEST', 'A session message must be an object.');
  }
  return body;
}
