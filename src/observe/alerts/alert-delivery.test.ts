import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { signWebhookBody } from '../../resilience/index.js';
import {
  startWebhookReceiver,
  status,
  type Answer,
  type WebhookReceiver,
} from '../../resilience/jobs/test-support/webhook-receiver.js';
import { alertInput, createManualClock } from '../../store/contract/index.js';
import { MemoryAlertStore } from '../../store/index.js';
import { createAlertDelivery, type AlertDeliveryOptions } from './alert-delivery.js';
import { alertEventBody } from './alert-view.js';

const SECRET = 'a-secret-of-at-least-16-characters';
const receivers: WebhookReceiver[] = [];

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

async function receiver(answer: Answer) {
  const started = await startWebhookReceiver(answer);
  receivers.push(started);
  return started;
}

/** A store, a delivery over it and a clock both read; jitter fixed at the middle. */
function rig(url: string, overrides: Partial<AlertDeliveryOptions> = {}) {
  const clock = createManualClock();
  const alerts = new MemoryAlertStore({ now: clock.now });
  const delivery = createAlertDelivery({
    alerts,
    webhooks: [{ url, headers: { authorization: 'Bearer hook-token' }, secret: SECRET }],
    logger: createLogger({ level: 'silent' }),
    maxAttempts: 5,
    baseDelayMs: 1_000,
    maxDelayMs: 60_000,
    timeoutMs: 2_000,
    pollMs: 1_000,
    random: () => 0.5,
    now: clock.now,
    ...overrides,
  });
  return { clock, alerts, delivery };
}

describe('alert webhooks', () => {
  it('deliver after failed attempts, retried with backoff, with the body and signature', async () => {
    const hook = await receiver((response, index) => status(index < 2 ? 503 : 200, response));
    const { clock, alerts, delivery } = rig(hook.url);
    const { alert } = await alerts.open(alertInput(), [hook.url]);

    expect(await delivery.deliverDue()).toBe(1);
    expect(await delivery.deliverDue()).toBe(0);
    // Backoff: half the doubling delay fixed, half jitter (0.5 here): 750 ms, then 1500 ms.
    clock.advance(749);
    expect(await delivery.deliverDue()).toBe(0);
    clock.advance(1);
    expect(await delivery.deliverDue()).toBe(1);
    clock.advance(1_500);
    expect(await delivery.deliverDue()).toBe(1);
    clock.advance(60_000);
    expect(await delivery.deliverDue()).toBe(0);

    expect(hook.received).toHaveLength(3);
    const body = JSON.stringify(alertEventBody('opened', alert));
    const seconds = [0, 0.75, 2.25].map((offset) =>
      Math.floor(Date.UTC(2026, 0, 1) / 1000 + offset),
    );
    hook.received.forEach((request, index) => {
      expect(request.method).toBe('POST');
      expect(request.body).toBe(body);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers.authorization).toBe('Bearer hook-token');
      expect(request.headers['rampart-alert-id']).toBe(alert.id);
      expect(request.headers['rampart-signature']).toBe(
        signWebhookBody(SECRET, body, seconds[index]!),
      );
    });
    const ids = new Set(hook.received.map((request) => request.headers['rampart-delivery-id']));
    expect(ids.size).toBe(1);
    expect(JSON.parse(body)).toEqual({
      object: 'event',
      type: 'alert.opened',
      alert: {
        id: alert.id,
        series: 'tool_error_rate',
        key: 'search',
        kind: 'anomaly',
        state: 'open',
        severity: 'warning',
        opened_at: '2026-01-05T10:00:00.000Z',
        resolved_at: null,
        value: 0.25,
        baseline: { median: 0.02, mad: 0.004 },
        deviations: 38.78,
        message: 'tool_error_rate of search is 0.25',
      },
    });
  });

  it('send the resolution as its own event', async () => {
    const hook = await receiver((response) => status(204, response));
    const { alerts, delivery } = rig(hook.url);
    const { alert } = await alerts.open(alertInput(), [hook.url]);
    await alerts.resolve(alert.id, Date.UTC(2026, 0, 5, 11), [hook.url]);

    expect(await delivery.deliverDue()).toBe(2);

    const bodies = hook.received.map((request) => JSON.parse(request.body));
    expect(bodies.map((body) => [body.type, body.alert.state, body.alert.resolved_at])).toEqual([
      ['alert.opened', 'open', null],
      ['alert.resolved', 'resolved', '2026-01-05T11:00:00.000Z'],
    ]);
  });

  it('retry a receiver that does not answer in time', async () => {
    const hook = await receiver((response, index) => {
      if (index > 0) status(200, response);
    });
    const { clock, alerts, delivery } = rig(hook.url, { timeoutMs: 100 });
    await alerts.open(alertInput(), [hook.url]);

    expect(await delivery.deliverDue()).toBe(1);
    clock.advance(750);
    expect(await delivery.deliverDue()).toBe(1);
    clock.advance(60_000);
    expect(await delivery.deliverDue()).toBe(0);
    expect(hook.received).toHaveLength(2);
  });

  it('reach a healthy receiver while another hangs until the timeout', async () => {
    let okAt: number | undefined;
    const hanging = await receiver(() => undefined);
    const healthy = await receiver((response) => {
      okAt = performance.now();
      status(200, response);
    });
    const { alerts, delivery } = rig(hanging.url, {
      timeoutMs: 1_000,
      webhooks: [
        { url: hanging.url, headers: {} },
        { url: healthy.url, headers: {} },
      ],
    });
    await alerts.open(alertInput(), [hanging.url, healthy.url]);
    const started = performance.now();
    expect(await delivery.deliverDue()).toBe(2);
    expect(healthy.received).toHaveLength(1);
    // Sent side by side: the healthy receiver did not wait for the hanging one's timeout.
    expect((okAt ?? Infinity) - started).toBeLessThan(1_000);
  });

  it('give up after the configured attempts', async () => {
    const hook = await receiver((response) => status(503, response));
    const { clock, alerts, delivery } = rig(hook.url, { maxAttempts: 3 });
    await alerts.open(alertInput(), [hook.url]);

    for (let round = 0; round < 10; round += 1) {
      await delivery.deliverDue();
      clock.advance(60_000);
    }
    expect(hook.received).toHaveLength(3);
  });

  it('give up at once on an answer that cannot change, or a receiver no longer configured', async () => {
    const hook = await receiver((response) => status(400, response));
    const { clock, alerts, delivery } = rig(hook.url);
    await alerts.open(alertInput(), [hook.url, 'http://127.0.0.1:9/gone']);

    expect(await delivery.deliverDue()).toBe(2);
    clock.advance(600_000);
    expect(await delivery.deliverDue()).toBe(0);
    expect(hook.received).toHaveLength(1);
  });

  it('log a store they cannot claim from once per outage, then send what was owed', async () => {
    const hook = await receiver((response) => status(200, response));
    const lines: { level: number; msg: string }[] = [];
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    const { clock, alerts, delivery } = rig(hook.url, { logger });
    await alerts.open(alertInput(), [hook.url]);
    const claim = alerts.claimDelivery.bind(alerts);
    alerts.claimDelivery = () => Promise.reject(new Error('connection refused'));
    for (let poll = 0; poll < 30; poll += 1) {
      expect(await delivery.deliverDue()).toBe(0);
      clock.advance(1_000);
    }
    alerts.claimDelivery = claim;
    expect(await delivery.deliverDue()).toBe(1);

    expect(hook.received).toHaveLength(1);
    const claims = lines.filter((line) => line.msg.startsWith('alert webhook claims'));
    expect(claims.filter((line) => line.level >= 40).map((line) => line.msg)).toEqual([
      'alert webhook claims failing',
    ]);
    expect(claims.at(-1)).toMatchObject({ level: 30, msg: 'alert webhook claims working again' });
  });

  it('log the URL with its password masked, and send the password as Basic authorization', async () => {
    const hook = await receiver((response) => status(200, response));
    const url = hook.url.replace('http://', 'http://ops:hook-password@');
    const lines: { msg: string; url?: string }[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => lines.push(JSON.parse(line)) },
    });
    const { alerts, delivery } = rig(url, {
      logger,
      webhooks: [{ url, headers: {}, secret: SECRET }],
    });
    await alerts.open(alertInput(), [url]);
    expect(await delivery.deliverDue()).toBe(1);
    expect(hook.received[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from('ops:hook-password').toString('base64')}`,
    );
    const delivered = lines.find((line) => line.msg === 'alert webhook delivered');
    expect(delivered?.url).toBe(url.replace('hook-password', '***'));
    expect(JSON.stringify(lines)).not.toContain('hook-password');
  });

  it('go out from the background loop when kicked', async () => {
    const hook = await receiver((response) => status(200, response));
    const { alerts, delivery } = rig(hook.url, { pollMs: 3_600_000 });
    delivery.start();
    try {
      await alerts.open(alertInput(), [hook.url]);
      delivery.kick();
      for (let waited = 0; hook.received.length === 0 && waited < 200; waited += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await delivery.stop();
    }
    expect(hook.received).toHaveLength(1);
  });
});
