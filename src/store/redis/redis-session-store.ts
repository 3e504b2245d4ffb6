import type { Message } from '../../core/index.js';
import { requirePositive } from '../memory/index.js';
import { newLeaseToken, newSessionId } from '../random-ids.js';
import { checkReplaceLast, stateChanges } from '../session-state.js';
import { requireText } from '../text-rules.js';
import type {
  BeginTurnOptions,
  BeginTurnOutcome,
  CommitTurnOptions,
  CommitTurnOutcome,
  CreateSessionInput,
  SessionRecord,
  SessionStore,
} from '../types.js';
import { sessionKeys } from './keys.js';
import type { RedisStoreOptions } from './redis-rate-limit-store.js';
import type { RedisClient } from './redis-connection.js';
import { clockArgument, defineScript, type RunScript } from './scripts.js';
import {
  BEGIN_LUA,
  COMMIT_LUA,
  CREATE_LUA,
  DELETE_LUA,
  GET_LUA,
  RELEASE_TURN_LUA,
  RENEW_TURN_LUA,
} from './session-lua.js';
import { checkMetadata, isSessionKey, serialiseMessage } from './session-rules.js';

export interface RedisSessionStoreOptions extends RedisStoreOptions {
  /**
   * A session not created or committed to for this long is gone (its keys expire). Default:
   * sessions never expire.
   */
  sessionIdleTtlMs?: number;
}

/** assistant, metadata JSON, created ms, updated ms, message JSON documents, state pairs. */
type RecordReply = [string, string, string, string, string[], string[]];

type SessionScript = 'create' | 'get' | 'delete' | 'begin' | 'commit' | 'renew' | 'release';

/**
 * Sessions in Redis: a hash and a message list per (owner, id), so another owner's id is a key
 * that does not exist. Each operation is one script; the lease is taken, checked and cleared
 * inside them, so two instances can never both run a turn of one session.
 */
export class RedisSessionStore implements SessionStore {
  private readonly prefix: string;
  private readonly clock: (() => number) | undefined;
  private readonly idleTtl: string;
  private readonly scripts: Record<SessionScript, RunScript>;

  constructor(client: RedisClient, options: RedisSessionStoreOptions = {}) {
    this.prefix = options.keyPrefix ?? 'rampart:';
    this.clock = options.clock;
    const idle = options.sessionIdleTtlMs;
    if (idle !== undefined) requirePositive(idle, 'sessionIdleTtlMs');
    this.idleTtl = idle === undefined ? '' : String(idle);
    const define = (name: string, lua: string) => defineScript(client, name, { keys: 2, lua });
    this.scripts = {
      create: define('rampartSessionCreate', CREATE_LUA),
      get: define('rampartSessionGet', GET_LUA),
      delete: define('rampartSessionDelete', DELETE_LUA),
      begin: define('rampartSessionBegin', BEGIN_LUA),
      commit: define('rampartSessionCommit', COMMIT_LUA),
      renew: define('rampartSessionRenew', RENEW_TURN_LUA),
      release: define('rampartSessionRelease', RELEASE_TURN_LUA),
    };
  }

  async create(owner: string, input: CreateSessionInput): Promise<SessionRecord> {
    requireText(owner, 'owner');
    requireText(input.assistant, 'assistant');
    const metadata = JSON.stringify(checkMetadata(input.metadata));
    // 144 random bits: a collision is not a case worth a round trip.
    const id = newSessionId();
    const reply = await this.run('create', owner, id, [input.assistant, metadata, this.idleTtl]);
    return toRecord(owner, id, reply as RecordReply);
  }

  async get(owner: string, id: string): Promise<SessionRecord | undefined> {
    if (!isSessionKey(owner, id)) return undefined;
    const reply = await this.run('get', owner, id, []);
    return reply === null ? undefined : toRecord(owner, id, reply as RecordReply);
  }

  async delete(owner: string, id: string): Promise<boolean> {
    if (!isSessionKey(owner, id)) return false;
    return (await this.run('delete', owner, id, [])) === 1;
  }

  async beginTurn(owner: string, id: string, options: BeginTurnOptions): Promise<BeginTurnOutcome> {
    requirePositive(options.leaseMs, 'leaseMs');
    if (!isSessionKey(owner, id)) return 'not-found';
    const token = newLeaseToken();
    const reply = await this.run('begin', owner, id, [token, options.leaseMs]);
    if (reply === 'busy' || reply === 'not-found') return reply;
    return { token, record: toRecord(owner, id, reply as RecordReply) };
  }

  async commitTurn(
    owner: string,
    id: string,
    token: string,
    newMessages: readonly Message[],
    options: CommitTurnOptions = {},
  ): Promise<CommitTurnOutcome> {
    if (!isSessionKey(owner, id)) return 'not-found';
    const bodies = newMessages.map(serialiseMessage);
    const changes = stateChanges(options.state).flatMap(([name, json]) => [name, json ?? '']);
    const state = [String(changes.length / 2), ...changes];
    const replaceLast = checkReplaceLast(options.replaceLast);
    const reply = await this.run('commit', owner, id, [
      String(token),
      this.idleTtl,
      options.keepLease === true ? '1' : '0',
      String(replaceLast),
      ...state,
      ...bodies,
    ]);
    if (reply === 'lease-lost' || reply === 'not-found') return reply;
    return toRecord(owner, id, reply as RecordReply);
  }

  async renewTurn(owner: string, id: string, token: string, leaseMs: number): Promise<boolean> {
    requirePositive(leaseMs, 'leaseMs');
    if (!isSessionKey(owner, id) || typeof token !== 'string') return false;
    return (await this.run('renew', owner, id, [token, leaseMs])) === 1;
  }

  async releaseTurn(owner: string, id: string, token: string): Promise<boolean> {
    if (!isSessionKey(owner, id) || typeof token !== 'string') return false;
    return (await this.run('release', owner, id, [token])) === 1;
  }

  private run(
    script: SessionScript,
    owner: string,
    id: string,
    args: (string | number)[],
  ): Promise<unknown> {
    const keys = sessionKeys(this.prefix, owner, id);
    return this.scripts[script](keys, [clockArgument(this.clock), ...args]);
  }
}

function toRecord(owner: string, id: string, reply: RecordReply): SessionRecord {
  const [assistant, metadata, created, updated, bodies, statePairs] = reply;
  const state: Record<string, unknown> = {};
  for (let index = 0; index + 1 < statePairs.length; index += 2) {
    state[statePairs[index] as string] = JSON.parse(statePairs[index + 1] as string) as unknown;
  }
  return {
    id,
    owner,
    assistant,
    metadata: JSON.parse(metadata) as Record<string, unknown>,
    createdAt: new Date(Number(created)).toISOString(),
    updatedAt: new Date(Number(updated)).toISOString(),
    messages: bodies.map((body) => JSON.parse(body) as Message),
    state,
  };
}
