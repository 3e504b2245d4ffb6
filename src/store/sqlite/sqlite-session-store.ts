import { RampartError, type Message } from '../../core/index.js';
import { newLeaseToken, newSessionId } from '../random-ids.js';
import { isStorableText, requireText } from '../text-rules.js';
import type {
  BeginTurnOptions,
  BeginTurnOutcome,
  CommitTurnOutcome,
  CreateSessionInput,
  SessionRecord,
  SessionStore,
} from '../types.js';
import { isUniqueViolation, settle, type SqliteDatabase } from './database.js';
import { prepareSessionStatements, type SessionRow } from './session-statements.js';

/**
 * Sessions in SQLite. Every statement names both the owner and the id, so another owner's
 * session is never read or written. Turn leases are taken and checked by single conditional
 * UPDATEs inside IMMEDIATE transactions, so two connections (or processes) cannot both win.
 */
export class SqliteSessionStore implements SessionStore {
  private readonly statements;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly clock: () => number,
  ) {
    this.statements = prepareSessionStatements(database);
  }

  create(owner: string, input: CreateSessionInput): Promise<SessionRecord> {
    return settle(() => {
      requireText(owner, 'owner');
      requireText(input.assistant, 'assistant');
      const metadata = JSON.stringify(checkMetadata(input.metadata));
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
    return settle(() => isKey(owner, id) && this.statements.remove.run(owner, id).changes > 0);
  }

  beginTurn(owner: string, id: string, options: BeginTurnOptions): Promise<BeginTurnOutcome> {
    return settle(() => {
      checkLease(options.leaseMs);
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
  ): Promise<CommitTurnOutcome> {
    return settle(() => {
      if (!isKey(owner, id)) return 'not-found';
      const bodies = newMessages.map(serialiseMessage);
      const commit = () => this.append(owner, id, token, bodies);
      return this.database.transaction(commit).immediate();
    });
  }

  releaseTurn(owner: string, id: string, token: string): Promise<boolean> {
    return settle(() => {
      if (!isKey(owner, id) || typeof token !== 'string') return false;
      return this.statements.release.run({ owner, id, token }).changes > 0;
    });
  }

  private takeLease(owner: string, id: string, leaseMs: number): BeginTurnOutcome {
    const now = this.clock();
    const token = newLeaseToken();
    const taken = this.statements.takeLease.run({ owner, id, token, now, expires: now + leaseMs });
    if (taken.changes === 0) return this.exists(owner, id) ? 'busy' : 'not-found';
    return { token, record: this.read(owner, id) as SessionRecord };
  }

  private append(owner: string, id: string, token: string, bodies: string[]): CommitTurnOutcome {
    const now = this.clock();
    const closed = this.statements.closeLease.run({ owner, id, token, now });
    if (closed.changes === 0) return this.exists(owner, id) ? 'lease-lost' : 'not-found';
    const { next } = this.statements.nextSeq.get(id) as { next: number };
    bodies.forEach((body, offset) => this.statements.addMessage.run(id, next + offset, body));
    return this.read(owner, id) as SessionRecord;
  }

  private exists(owner: string, id: string): boolean {
    return this.statements.exists.get(owner, id) !== undefined;
  }

  private read(owner: string, id: string): SessionRecord | undefined {
    const row = this.statements.select.get(owner, id) as SessionRow | undefined;
    if (!row) return undefined;
    const bodies = this.statements.messages.pluck().all(id) as string[];
    return {
      id: row.id,
      owner: row.owner,
      assistant: row.assistant,
      metadata: JSON.parse(row.metadata) as Record<string, unknown>,
      createdAt: new Date(row.created_at).toISOString(),
      updatedAt: new Date(row.updated_at).toISOString(),
      messages: bodies.map((body) => JSON.parse(body) as Message),
    };
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

function checkLease(leaseMs: number): void {
  if (Number.isSafeInteger(leaseMs) && leaseMs > 0) return;
  throw new RampartError('RAMPART_INVALID_REQUEST', 'leaseMs must be a positive integer.');
}

function serialiseMessage(message: Message): string {
  const body = JSON.stringify(message) as string | undefined;
  if (typeof message !== 'object' || message === null || body === undefined) {
    throw new RampartError('RAMPART_INVALID_REQUEST', 'A session message must be an object.');
  }
  return body;
}
