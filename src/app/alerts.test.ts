import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConfigInput } from '../config/index.js';
import { signWebhookBody } from '../resilience/index.js';
import {
  startWebhookReceiver,
  status,
  type WebhookReceiver,
} from '../resilience/jobs/test-support/webhook-receiver.js';
import type { ToolDefinition } from '../tools/index.js';
import { startTestServer, type TestServer } from './test-support/harness.js';
import { newSession, sessionMessage } from './test-support/session-client.js';

/*
 * Alerts end to end: turns through a real server fail a tool, the stats rollups record them,
 * the evaluator reads them back and opens a threshold alert, which reaches a webhook receiver
 * on loopback and `GET /v1/alerts`, then resolves once the tool works again. Only `Date` is
 * faked, so the server and the sockets run on real timers while the minutes are stepped.
 */

const SECRET = 'an-alert-webhook-secret';
const T0 = Date.UTC(2026, 0, 5, 10, 0, 10);
const MINUTE = 60_000;

const flaky: ToolDefinition = {
  name: 'flaky',
  parameters: { type: 'object', properties: { fail: { type: 'boolean' } } },
  policy: { roles: ['*'] },
  handler: async (args) => {
    if ((args as { fail?: boolean }).fail) throw new Error('the backend is down');
    return { ok: true };
  },
};

function configFor(hook: WebhookReceiver): ConfigInput {
  return {
    assistants: { default: { model: 'rampart-sim-1', tools: ['flaky'] } },
    observe: {
      anomaly: { enabled: false, series: { tool_error_rate: { minVolume: 3 } } },
      alerts: {
        thresholds: [
          {
            series: 'tool_error_rate',
            key: 'flaky',
            direction: 'above',
            value: 0.5,
            sustainMinutes: 1,
            clearMinutes: 1,
          },
        ],
        webhooks: [{ url: hook.url, secretEnv: 'ALERT_SECRET' }],
      },
    },
  };
}

describe('alerts through a real server', () => {
  let hook: WebhookReceiver;
  let server: TestServer;
  let admin: string;
  let user: string;
  let session: string;

  beforeAll(async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: T0 });
    hook = await startWebhookReceiver((response) => status(200, response));
    server = await startTestServer({
      config: configFor(hook),
      tools: [flaky],
      env: { ALERT_SECRET: SECRET },
    });
    admin = await server.key('root', 'admin');
    user = await server.key('alice');
    session = await newSession(server, user);
  });
  afterAll(async () => {
    await server.close();
    await hook.close();
    vi.useRealTimers();
  });

  async function turns(content: string, count: number) {
    for (let turn = 0; turn < count; turn += 1) {
      const { response } = await sessionMessage(server, user, session, content);
      expect(response.status).toBe(200);
    }
  }

  /**
   * The webhooks received once `count` have arrived: this test sends what is due itself, but
   * the server's own delivery loop may take a delivery first and send it a moment later.
   */
  async function received(count: number) {
    for (let waited = 0; hook.received.length < count && waited < 500; waited += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return [...hook.received];
  }

  /** Moves the clock to `at`, evaluates and sends what is due. */
  async function evaluateAt(at: number) {
    vi.setSystemTime(at);
    const anomaly = server.rampart.anomaly!;
    const result = await anomaly.evaluator.tick();
    await anomaly.delivery.deliverDue();
    return result;
  }

  async function alerts(state: string) {
    const response = await fetch(`${server.url}/v1/alerts?state=${state}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    return ((await response.json()) as { data: Array<Record<string, unknown>> }).data;
  }

  it('open on a failing tool, reach the webhook and the API, and resolve when it recovers', async () => {
    await turns('call flaky {"fail":true}', 3);

    const first = await evaluateAt(T0 + MINUTE);
    expect(first).toMatchObject({ evaluated: true, opened: [], resolved: [] });
    const second = await evaluateAt(T0 + 2 * MINUTE);
    expect(second.opened.map((alert) => [alert.series, alert.key, alert.value])).toEqual([
      ['tool_error_rate', 'flaky', 1],
    ]);

    const open = await alerts('open');
    expect(open).toEqual([
      {
        id: second.opened[0]!.id,
        series: 'tool_error_rate',
        key: 'flaky',
        kind: 'threshold',
        state: 'open',
        severity: 'critical',
        opened_at: new Date(T0 + 2 * MINUTE).toISOString(),
        resolved_at: null,
        value: 1,
        baseline: null,
        deviations: null,
        message: 'The error rate of tool flaky is 100%, above the limit of 50% for 1 min.',
      },
    ]);
    const [opened, ...more] = await received(1);
    expect(more).toEqual([]);
    expect(JSON.parse(opened!.body)).toEqual({
      object: 'event',
      type: 'alert.opened',
      alert: open[0],
    });
    const seconds = Math.floor((T0 + 2 * MINUTE) / 1_000);
    expect(opened!.headers['rampart-signature']).toBe(
      signWebhookBody(SECRET, opened!.body, seconds),
    );

    // Fifteen minutes on, the failures have left the window and the tool works again.
    vi.setSystemTime(T0 + 16 * MINUTE);
    await turns('call flaky {}', 3);
    expect((await evaluateAt(T0 + 17 * MINUTE)).resolved).toEqual([]);
    const resolved = (await evaluateAt(T0 + 18 * MINUTE)).resolved;
    expect(resolved.map((alert) => alert.id)).toEqual([open[0]!.id]);

    expect(await alerts('open')).toEqual([]);
    expect(await alerts('resolved')).toMatchObject([
      { id: open[0]!.id, state: 'resolved', resolved_at: new Date(T0 + 18 * MINUTE).toISOString() },
    ]);
    const all = await received(2);
    expect(all.map((request) => JSON.parse(request.body).type)).toEqual([
      'alert.opened',
      'alert.resolved',
    ]);
  });
});
