import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRampartError, RampartError, type Principal } from '../core/index.js';
import { openSqliteStore, type SqliteStore } from '../store/index.js';
import { authenticateRequest, parseBearer } from './index.js';

describe('parseBearer', () => {
  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['BEARER  abc  ', 'abc'],
    ['Bearer\tabc', 'abc'],
  ])('reads %j as %j', (value, token) => {
    expect(parseBearer(value)).toBe(token);
  });

  it.each([undefined, '', 'Bearer', 'Bearer ', 'Basic abc', 'Bearer a b', 'Bearerabc', 'abc'])(
    'finds no token in %j',
    (value) => {
      expect(parseBearer(value)).toBeUndefined();
    },
  );
});

describe('authenticateRequest', () => {
  let store: SqliteStore;
  let key: string;
  let keyId: string;

  beforeAll(async () => {
    store = openSqliteStore({ path: ':memory:' });
    const created = await store.keys.create({
      userId: 'alice',
      role: 'admin',
      tier: 'premium',
      permissions: ['*'],
    });
    key = created.key;
    keyId = created.record.id;
  });
  afterAll(() => store.close());

  const expected = (): Principal => ({
    userId: 'alice',
    role: 'admin',
    tier: 'premium',
    permissions: ['*'],
    keyId,
  });

  function refusal(outcome: Principal | RampartError): string {
    if (!isRampartError(outcome, 'RAMPART_UNAUTHORIZED')) throw new Error('expected a refusal');
    expect(outcome.status).toBe(401);
    return outcome.message;
  }

  it('accepts the key as a Bearer token (OpenAI SDKs)', async () => {
    expect(await authenticateRequest({ authorization: `Bearer ${key}` }, store.keys)).toEqual(
      expected(),
    );
  });

  it('accepts the key as x-api-key (Anthropic SDK)', async () => {
    expect(await authenticateRequest({ 'x-api-key': key }, store.keys)).toEqual(expected());
  });

  it('prefers the Authorization header when both are sent', async () => {
    const outcome = await authenticateRequest(
      { authorization: 'Bearer rk_0000000000000000_wrong', 'x-api-key': key },
      store.keys,
    );
    expect(refusal(outcome)).toBe('Invalid API key: it is unknown, revoked or malformed.');
  });

  it('takes the first value of a repeated header', async () => {
    const outcome = await authenticateRequest({ 'x-api-key': [key, 'other'] }, store.keys);
    expect(outcome).toEqual(expected());
  });

  it.each([{}, { authorization: '' }, { 'x-api-key': '' }, { 'x-api-key': '   ' }])(
    'says the key is missing for %j',
    async (headers) => {
      expect(refusal(await authenticateRequest(headers, store.keys))).toBe(
        "Missing API key. Send it as 'Authorization: Bearer <key>' or as 'x-api-key: <key>'.",
      );
    },
  );

  it('says which scheme to use for a non-Bearer Authorization header', async () => {
    const outcome = await authenticateRequest({ authorization: `Basic ${key}` }, store.keys);
    expect(refusal(outcome)).toBe(
      "The Authorization header must use the Bearer scheme: 'Authorization: Bearer <key>'.",
    );
  });

  it('says the key is invalid without echoing it', async () => {
    const wrong = `${key.slice(0, -4)}AAAA`;
    for (const headers of [{ authorization: `Bearer ${wrong}` }, { 'x-api-key': 'sk-nope' }]) {
      const message = refusal(await authenticateRequest(headers, store.keys));
      expect(message).toBe('Invalid API key: it is unknown, revoked or malformed.');
      expect(message).not.toContain('AAAA');
    }
  });

  it('refuses a revoked key', async () => {
    const { key: revoked, record } = await store.keys.create({
      userId: 'bob',
      role: 'user',
      tier: 'free',
      permissions: [],
    });
    await store.keys.revoke(record.id);

    const outcome = await authenticateRequest({ 'x-api-key': revoked }, store.keys);

    expect(outcome).toBeInstanceOf(RampartError);
  });
});
