import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../app/test-support/harness.js';
import { alertInput } from '../../store/contract/index.js';
import type { AlertRecord } from '../../store/index.js';

let server: TestServer;
let admin: string;
let user: string;
let open: AlertRecord;
let resolved: AlertRecord;

async function alerts(key: string | undefined, query: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/v1/alerts?${new URLSearchParams(query).toString()}`, {
    headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  server = await startTestServer();
  admin = await server.key('root', 'admin');
  user = await server.key('alice');
  const store = server.rampart.alerts;
  const first = await store.open(
    alertInput({ key: 'search', openedAt: Date.UTC(2026, 0, 5, 9) }),
    [],
  );
  resolved = (await store.resolve(first.alert.id, Date.UTC(2026, 0, 5, 9, 40), []))!;
  open = (
    await store.open(
      alertInput({
        kind: 'threshold',
        series: 'cost_per_hour',
        key: '',
        rule: 'above:50',
        severity: 'critical',
        openedAt: Date.UTC(2026, 0, 5, 10),
        value: 61.5,
        message: 'The cost per hour is $61.5/h, above the limit of $50/h for 5 min.',
        baseline: undefined,
        deviations: undefined,
      }),
      [],
    )
  ).alert;
});
afterAll(() => server.close());

describe('GET /v1/alerts', () => {
  it('lists open alerts by default, in the documented shape', async () => {
    const { status, body } = await alerts(admin);
    expect(status).toBe(200);
    expect(body).toEqual({
      object: 'list',
      data: [
        {
          id: open.id,
          series: 'cost_per_hour',
          key: null,
          kind: 'threshold',
          state: 'open',
          severity: 'critical',
          opened_at: '2026-01-05T10:00:00.000Z',
          resolved_at: null,
          value: 61.5,
          baseline: null,
          deviations: null,
          message: 'The cost per hour is $61.5/h, above the limit of $50/h for 5 min.',
        },
      ],
    });
  });

  it('filters by state, newest opened first', async () => {
    const ids = async (query: Record<string, string>) =>
      (await alerts(admin, query)).body.data.map((alert: { id: string }) => alert.id);
    expect(await ids({ state: 'resolved' })).toEqual([resolved.id]);
    expect(await ids({ state: 'all' })).toEqual([open.id, resolved.id]);
    expect(await ids({ state: 'all', limit: '1' })).toEqual([open.id]);
    const { body } = await alerts(admin, { state: 'resolved' });
    expect(body.data[0]).toMatchObject({
      key: 'search',
      state: 'resolved',
      resolved_at: '2026-01-05T09:40:00.000Z',
      baseline: { median: 0.02, mad: 0.004 },
      deviations: 38.78,
    });
  });

  it('is for admins and keys granted alerts:read only', async () => {
    expect(await alerts(user)).toEqual({
      status: 403,
      body: {
        error: {
          message: 'Reading alerts needs the admin role or the alerts:read permission.',
          type: 'permission_error',
          code: 'RAMPART_FORBIDDEN',
          param: null,
        },
      },
    });
    expect((await alerts(undefined)).status).toBe(401);
    const onCall = await server.rampart.keys.create({
      userId: 'pager',
      role: 'user',
      tier: 'standard',
      permissions: ['alerts:read'],
    });
    expect((await alerts(onCall.key)).status).toBe(200);
  });

  it.each([
    [{ state: 'closed' }, 'state'],
    [{ state: '' }, 'state'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '1001' }, 'limit'],
    [{ limit: 'many' }, 'limit'],
    [{ since: '2026-01-01' }, 'since'],
  ])('refuses %j with a coded 400', async (query, param) => {
    const { status, body } = await alerts(admin, query);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'RAMPART_INVALID_REQUEST', param });
  });
});
