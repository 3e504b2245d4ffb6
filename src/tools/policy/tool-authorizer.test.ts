import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSilentLogger, type Principal } from '../../core/index.js';
import {
  argumentsDigest,
  MemoryRateLimitStore,
  openSqliteStore,
  type SqliteStore,
} from '../../store/index.js';
import type { ResolverAnswer, ToolPolicy, ToolResolver } from './policy-types.js';
import { createToolAuthorizer, type AuthorizationRequest } from './tool-authorizer.js';

const alice: Principal = {
  userId: 'alice',
  role: 'analyst',
  tier: 'standard',
  permissions: ['table:orders', 'table:customers'],
  keyId: 'key_a',
};
const bob: Principal = { ...alice, userId: 'bob', role: 'user', permissions: [], keyId: 'key_b' };

function call(
  tool: string,
  args: Record<string, unknown>,
  principal = alice,
): AuthorizationRequest {
  return {
    tool,
    callId: `call_${tool}`,
    arguments: args,
    principal,
    sessionId: 'sess_1',
    requestId: 'req_1',
  };
}

describe('createToolAuthorizer', () => {
  let store: SqliteStore;

  beforeEach(() => {
    store = openSqliteStore({ path: ':memory:' });
  });
  afterEach(() => store.close());

  function authorizer(
    policies: Record<string, ToolPolicy>,
    options: {
      unlisted?: 'allow' | 'deny';
      resolvers?: Record<string, ToolResolver>;
      auditAllowed?: boolean;
    } = {},
  ) {
    return createToolAuthorizer({
      policies: new Map(Object.entries(policies)),
      unlisted: options.unlisted ?? 'deny',
      resolvers: new Map(Object.entries(options.resolvers ?? {})),
      rateLimits: new MemoryRateLimitStore(),
      audit: store.audit,
      auditAllowed: options.auditAllowed ?? true,
      logger: createSilentLogger(),
    });
  }

  it('denies a tool without a policy by default, and allows it when configured so', async () => {
    const denied = await authorizer({}).authorize(call('drop_table', {}));
    expect(denied).toMatchObject({ decision: 'deny', rule: 'no-policy' });
    const allowed = await authorizer({}, { unlisted: 'allow' }).authorize(call('drop_table', {}));
    expect(allowed.decision).toBe('allow');
  });

  it('checks the role, and `*` or no list admits every role', async () => {
    const gate = authorizer({ report: { roles: ['analyst'] }, ping: { roles: ['*'] }, open: {} });
    expect((await gate.authorize(call('report', {}))).decision).toBe('allow');
    expect(await gate.authorize(call('report', {}, bob))).toMatchObject({
      decision: 'deny',
      rule: 'role',
    });
    expect((await gate.authorize(call('ping', {}, bob))).decision).toBe('allow');
    expect((await gate.authorize(call('open', {}, bob))).decision).toBe('allow');
  });

  it('needs every listed permission', async () => {
    const gate = authorizer({ export: { permissions: ['export', 'table:orders'] } });
    const verdict = await gate.authorize(call('export', {}));
    expect(verdict).toMatchObject({ decision: 'deny', rule: 'permission' });
    expect(verdict.reason).toContain("'export'");
  });

  it('keeps a table argument within the tables the principal holds', async () => {
    const gate = authorizer({ query: { arguments: { table: { inPermissions: 'table' } } } });
    expect((await gate.authorize(call('query', { table: 'orders' }))).decision).toBe('allow');
    const other = await gate.authorize(call('query', { table: 'salaries' }));
    expect(other).toMatchObject({ decision: 'deny', rule: 'argument:table' });
    const list = await gate.authorize(call('query', { table: ['orders', 'salaries'] }));
    expect(list.decision).toBe('deny');
    const object = await gate.authorize(call('query', { table: { toString: 'orders' } }));
    expect(object.decision).toBe('deny');
  });

  it('denies an empty list of tables and an argument path that runs into a non-object', async () => {
    const gate = authorizer({
      query: { arguments: { table: { inPermissions: 'table' } } },
      nested: { arguments: { 'target.owner': { equalsPrincipal: 'userId' } } },
    });
    expect((await gate.authorize(call('query', { table: [] }))).decision).toBe('deny');
    expect((await gate.authorize(call('nested', { target: [{ owner: 'bob' }] }))).decision).toBe(
      'deny',
    );
    expect((await gate.authorize(call('nested', { target: 'bob' }))).decision).toBe('deny');
    expect((await gate.authorize(call('nested', {}))).decision).toBe('allow');
    expect((await gate.authorize(call('nested', { target: { owner: 'alice' } }))).decision).toBe(
      'allow',
    );
  });

  it('requires owner arguments to be the caller and record ids to carry its id', async () => {
    const gate = authorizer({
      profile: { arguments: { 'filter.owner': { equalsPrincipal: 'userId', required: true } } },
      order: { arguments: { orderId: { pattern: '^{userId}/[0-9]+$' } } },
    });
    expect((await gate.authorize(call('profile', { filter: { owner: 'alice' } }))).decision).toBe(
      'allow',
    );
    expect((await gate.authorize(call('profile', { filter: { owner: 'bob' } }))).decision).toBe(
      'deny',
    );
    expect(await gate.authorize(call('profile', {}))).toMatchObject({
      rule: 'argument:filter.owner',
    });
    expect((await gate.authorize(call('order', { orderId: 'alice/17' }))).decision).toBe('allow');
    expect((await gate.authorize(call('order', { orderId: 'bob/17' }))).decision).toBe('deny');
    // A user id with regex characters is matched literally.
    const dotted = { ...alice, userId: 'a.b' };
    expect((await gate.authorize(call('order', { orderId: 'axb/1' }, dotted))).decision).toBe(
      'deny',
    );
    expect((await gate.authorize(call('order', { orderId: 'a.b/1' }, dotted))).decision).toBe(
      'allow',
    );
  });

  it('asks a resolver registered in code, and a throwing resolver denies', async () => {
    const owners: Record<string, string> = { r1: 'alice', r2: 'bob' };
    const gate = authorizer(
      {
        record: { arguments: { id: { resolver: 'owns-record' } } },
        broken: { resolver: 'throws' },
      },
      {
        resolvers: {
          'owns-record': ({ value, principal }) =>
            owners[String(value)] === principal.userId || {
              allowed: false,
              reason: 'not your record',
            },
          throws: () => {
            throw new Error('database down');
          },
        },
      },
    );
    expect((await gate.authorize(call('record', { id: 'r1' }))).decision).toBe('allow');
    expect(await gate.authorize(call('record', { id: 'r2' }))).toEqual({
      decision: 'deny',
      rule: 'resolver:owns-record',
      reason: 'not your record',
    });
    expect(await gate.authorize(call('broken', {}))).toMatchObject({
      decision: 'deny',
      rule: 'resolver:throws',
    });
  });

  it('allows only on a literal true: a resolver in plain JavaScript answering otherwise denies', async () => {
    // The answers a resolver typed as TypeScript cannot give, but one written in JavaScript can.
    const answers: unknown[] = ['false', 'true', 1, { allowed: 'false' }, { allowed: 1 }, null, {}];
    for (const answer of answers) {
      const gate = authorizer(
        { record: { resolver: 'loose' } },
        { resolvers: { loose: () => answer as ResolverAnswer } },
      );
      expect((await gate.authorize(call('record', {}))).decision, JSON.stringify(answer)).toBe(
        'deny',
      );
    }
    const strict = authorizer(
      { record: { resolver: 'strict' } },
      { resolvers: { strict: () => ({ allowed: true }) } },
    );
    expect((await strict.authorize(call('record', {}))).decision).toBe('allow');
  });

  it('asks for confirmation, and a confirmed call passes every other check again', async () => {
    const gate = authorizer({ refund: { roles: ['analyst'], confirm: true } });
    expect((await gate.authorize(call('refund', { amount: 5 }))).decision).toBe('confirm');
    expect(
      (await gate.authorize({ ...call('refund', { amount: 5 }), confirmed: true })).decision,
    ).toBe('allow');
    const other = { ...call('refund', { amount: 5 }, bob), confirmed: true };
    expect((await gate.authorize(other)).decision).toBe('deny');
  });

  it('limits calls per user per minute, counting only calls that passed every other check', async () => {
    const gate = authorizer({
      search: { rateLimit: { perMinute: 2 }, arguments: { q: { oneOf: ['a', 'b'] } } },
    });
    expect((await gate.authorize(call('search', { q: 'z' }))).decision).toBe('deny');
    expect((await gate.authorize(call('search', { q: 'a' }))).decision).toBe('allow');
    expect((await gate.authorize(call('search', { q: 'b' }))).decision).toBe('allow');
    expect(await gate.authorize(call('search', { q: 'a' }))).toMatchObject({ rule: 'rate-limit' });
    expect((await gate.authorize(call('search', { q: 'a' }, bob))).decision).toBe('allow');
  });

  it('audits every decision with a digest of the arguments, never the arguments', async () => {
    const gate = authorizer({ query: { arguments: { table: { inPermissions: 'table' } } } });
    await gate.authorize(call('query', { table: 'orders', limit: 5 }));
    await gate.authorize(call('query', { table: 'salaries' }, bob));
    await gate.recordDeclined(call('query', { table: 'orders' }), 'the user declined the call');
    const entries = await store.audit.list();
    expect(entries.map((entry) => entry.verdict)).toEqual(['rejected', 'denied', 'allowed']);
    const denied = entries[1]!;
    expect(denied).toMatchObject({
      userId: 'bob',
      keyId: 'key_b',
      tool: 'query',
      rule: 'argument:table',
    });
    expect(denied.argumentsDigest).toBe(argumentsDigest({ table: 'salaries' }));
    expect(JSON.stringify(entries)).not.toContain('salaries');
    expect(gate.counts()).toEqual({ allowed: 1, denied: 1, confirmationRequired: 0, declined: 1 });
  });

  it('leaves allowed calls out of the audit log when asked to', async () => {
    const gate = authorizer({ ping: {} }, { auditAllowed: false });
    await gate.authorize(call('ping', {}));
    await gate.authorize(call('nope', {}));
    expect((await store.audit.list()).map((entry) => entry.tool)).toEqual(['nope']);
  });

  it('does not run a call it cannot audit', async () => {
    const gate = authorizer({ ping: {} });
    await store.close();
    const verdict = await gate.authorize(call('ping', {}));
    expect(verdict).toMatchObject({ decision: 'deny', rule: 'audit-unavailable' });
    store = openSqliteStore({ path: ':memory:' });
  });
});
