import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRampartError, type ErrorCode, type Message, type Principal } from '../core/index.js';
import { openSqliteStore, type SqliteStore } from '../store/index.js';
import { SessionService } from './index.js';

function principal(userId: string): Principal {
  return { userId, role: 'user', tier: 'standard', permissions: [], keyId: `key-${userId}` };
}

const alice = principal('alice');
const bob = principal('bob');
const question: Message = { role: 'user', content: [{ type: 'text', text: 'codename BLUE' }] };
const answer: Message = {
  role: 'assistant',
  content: [{ type: 'text', text: 'noted' }],
  toolCalls: [],
};

async function failure(promise: Promise<unknown>, code: ErrorCode): Promise<string> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isRampartError(error, code)) throw new Error(`expected ${code}, got ${String(error)}`);
  return error.message;
}

describe('SessionService', () => {
  let now: number;
  let store: SqliteStore;
  let service: SessionService;

  beforeEach(() => {
    now = Date.UTC(2026, 0, 1);
    store = openSqliteStore({ path: ':memory:', clock: () => now });
    service = new SessionService(store.sessions);
  });
  afterEach(() => store.close());

  it('creates a session owned by the principal and reads it back', async () => {
    const created = await service.createSession(alice, 'support');

    expect(created).toMatchObject({ owner: 'alice', assistant: 'support', messages: [] });
    expect(await service.getSession(alice, created.id)).toEqual(created);
  });

  it('stores metadata given at creation', async () => {
    const created = await service.createSession(alice, 'support', { channel: 'web' });

    expect((await service.getSession(alice, created.id)).metadata).toEqual({ channel: 'web' });
    expect((await service.createSession(alice, 'support')).metadata).toEqual({});
  });

  it('reports unknown and foreign sessions with the same error', async () => {
    const { id } = await service.createSession(alice, 'support');

    const foreign = await failure(service.getSession(bob, id), 'RAMPART_SESSION_NOT_FOUND');
    const unknown = await failure(
      service.getSession(alice, 'sess_AAAAAAAAAAAAAAAAAAAAAAAA'),
      'RAMPART_SESSION_NOT_FOUND',
    );

    expect(foreign).toBe(`No session '${id}' was found.`);
    expect(unknown).toBe("No session 'sess_AAAAAAAAAAAAAAAAAAAAAAAA' was found.");
    await failure(service.deleteSession(bob, id), 'RAMPART_SESSION_NOT_FOUND');
    await failure(
      service.withTurn(bob, id, 1000, () => Promise.resolve([])),
      'RAMPART_SESSION_NOT_FOUND',
    );
  });

  it('keeps each user’s conversation to themselves', async () => {
    const mine = await service.createSession(alice, 'support');
    const theirs = await service.createSession(bob, 'support');

    await service.withTurn(alice, mine.id, 1000, () => Promise.resolve([question, answer]));
    await service.deleteSession(alice, mine.id);

    expect((await service.getSession(bob, theirs.id)).messages).toEqual([]);
    await failure(service.getSession(alice, mine.id), 'RAMPART_SESSION_NOT_FOUND');
  });

  it('bounds a hostile id in the error message', async () => {
    const message = await failure(
      service.getSession(alice, 'x'.repeat(10_000)),
      'RAMPART_SESSION_NOT_FOUND',
    );
    expect(message).toBe(`No session '${'x'.repeat(64)}…' was found.`);
  });

  it('runs a turn on the current messages and commits what it returns', async () => {
    const { id } = await service.createSession(alice, 'support');
    await service.withTurn(alice, id, 1000, () => Promise.resolve([question]));
    let seen: Message[] = [];

    const after = await service.withTurn(alice, id, 1000, (record) => {
      seen = record.messages;
      return Promise.resolve([answer]);
    });

    expect(seen).toEqual([question]);
    expect(after.messages).toEqual([question, answer]);
  });

  it("commits a turn's state changes with its messages, and the next turn sees them", async () => {
    const { id } = await service.createSession(alice, 'support');
    await service.withTurn(alice, id, 1000, () =>
      Promise.resolve({ messages: [question], state: { summary: { through: 1 } } }),
    );
    let seen: Record<string, unknown> = {};

    const after = await service.withTurn(alice, id, 1000, (record) => {
      seen = record.state;
      return Promise.resolve({ messages: [], state: { summary: null, routing: 'large' } });
    });

    expect(seen).toEqual({ summary: { through: 1 } });
    expect(after.state).toEqual({ routing: 'large' });
    expect(after.messages).toEqual([question]);
  });

  it('refuses a concurrent turn with RAMPART_SESSION_BUSY (409)', async () => {
    const { id } = await service.createSession(alice, 'support');
    let finish!: (messages: Message[]) => void;
    const first = service.withTurn(
      alice,
      id,
      1000,
      () => new Promise((resolve) => (finish = resolve)),
    );
    await expect.poll(() => finish).toBeDefined();

    const error: unknown = await service
      .withTurn(alice, id, 1000, () => Promise.resolve([]))
      .catch((e: unknown) => e);

    expect(isRampartError(error, 'RAMPART_SESSION_BUSY')).toBe(true);
    expect((error as { status: number }).status).toBe(409);
    finish([answer]);
    expect((await first).messages).toEqual([answer]);
  });

  it('releases the lease when the turn fails, so the next turn can start at once', async () => {
    const { id } = await service.createSession(alice, 'support');

    await expect(
      service.withTurn(alice, id, 60_000, () => Promise.reject(new Error('model down'))),
    ).rejects.toThrow('model down');
    const after = await service.withTurn(alice, id, 60_000, () => Promise.resolve([question]));

    expect(after.messages).toEqual([question]);
  });

  it('releases the lease when the commit itself fails', async () => {
    const { id } = await service.createSession(alice, 'support');
    const unstorable = { role: 'user', content: 1n } as unknown as Message;

    await expect(
      service.withTurn(alice, id, 60_000, () => Promise.resolve([unstorable])),
    ).rejects.toThrow();

    expect(
      (await service.withTurn(alice, id, 60_000, () => Promise.resolve([answer]))).messages,
    ).toEqual([answer]);
  });

  it('saves a turn that outlived its lease when no other turn took the session', async () => {
    const { id } = await service.createSession(alice, 'support');

    await service.withTurn(alice, id, 1000, () => {
      now += 1000;
      return Promise.resolve([question]);
    });

    expect((await service.getSession(alice, id)).messages).toEqual([question]);
  });

  it('saves nothing when another turn took the session after the lease ran out', async () => {
    const { id } = await service.createSession(alice, 'support');

    const message = await failure(
      service.withTurn(alice, id, 1000, async () => {
        now += 1000;
        await service.withTurn(alice, id, 1000, () => Promise.resolve([question]));
        return [question];
      }),
      'RAMPART_SESSION_BUSY',
    );

    expect(message).toBe(
      `The turn on session '${id}' lost its 1000 ms lease and was not saved; retry the turn.`,
    );
    expect((await service.getSession(alice, id)).messages).toEqual([question]);
  });

  it('says a turn that lost its lease after a checkpoint must not be sent again', async () => {
    const { id } = await service.createSession(alice, 'support');

    const message = await failure(
      service.withTurn(alice, id, 1000, async (_record, checkpoint) => {
        await checkpoint([question], 0);
        now += 1000;
        await service.withTurn(alice, id, 1000, () => Promise.resolve([answer]));
        return [question];
      }),
      'RAMPART_SESSION_BUSY',
    );

    expect(message).toBe(
      `The turn on session '${id}' lost its 1000 ms lease; the turn up to its tool calls was saved, the rest was not. Do not resend it.`,
    );
    expect((await service.getSession(alice, id)).messages).toEqual([question, answer]);
  });

  it('keeps the lease of a turn that runs longer than it, while the turn runs', async () => {
    const { id } = await service.createSession(alice, 'support');
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    await service.withTurn(alice, id, 300, async () => {
      now += 250;
      // The renewal, every 100 ms, holds the lease 300 ms past the clock as it then reads.
      await sleep(250);
      now += 250;
      await failure(
        service.withTurn(alice, id, 300, () => Promise.resolve([answer])),
        'RAMPART_SESSION_BUSY',
      );
      return [question];
    });

    expect((await service.getSession(alice, id)).messages).toEqual([question]);
  });

  it('refuses to delete a session while a turn runs, and deletes it once the turn is done', async () => {
    const { id } = await service.createSession(alice, 'support');

    await service.withTurn(alice, id, 1000, async () => {
      await failure(service.deleteSession(alice, id), 'RAMPART_SESSION_BUSY');
      return [question];
    });
    expect((await service.getSession(alice, id)).messages).toEqual([question]);
    await service.deleteSession(alice, id);
    await failure(service.getSession(alice, id), 'RAMPART_SESSION_NOT_FOUND');
    // A turn can no longer start on it.
    await failure(
      service.withTurn(alice, id, 1000, () => Promise.resolve([question])),
      'RAMPART_SESSION_NOT_FOUND',
    );
  });

  it('reports a session that went during the turn (a lease ran out) as not found', async () => {
    const { id } = await service.createSession(alice, 'support');

    await failure(
      service.withTurn(alice, id, 1000, async () => {
        await store.sessions.delete(alice.userId, id);
        return [question];
      }),
      'RAMPART_SESSION_NOT_FOUND',
    );
  });
});
