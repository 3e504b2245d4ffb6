import { afterEach, beforeEach, expect, it } from 'vitest';
import { createSilentLogger } from '../../core/logger.js';
import {
  startWebhookReceiver,
  status,
  type WebhookReceiver,
} from '../../resilience/jobs/test-support/webhook-receiver.js';
import { openRedisState, type RedisState } from '../../store/index.js';
import { deleteKeys, uniquePrefix } from '../../store/redis/test-support/redis-harness.js';
import { describeWithRedis } from '../../store/test-support/services.js';
import { anomalySetup, type AnomalySetup } from './anomaly-setup.js';
import { AFTER_BASELINE, manualClock, observeConfig } from './test-support/rig.js';
import {
  between,
  HOUR_MS,
  MINUTE_MS,
  normalTraffic,
  SyntheticTraffic,
} from './test-support/synthetic-traffic.js';

/**
 * Two instances sharing Redis, each running the detector and the webhook sender on the same
 * (fake) clock: one of them evaluates at a time, so each transition is one alert and one
 * webhook, and the other takes over when the first goes away.
 */
describeWithRedis('anomaly detection on two instances sharing Redis', (url) => {
  const stepAt = AFTER_BASELINE + 10 * HOUR_MS;
  const backAt = stepAt + 2 * HOUR_MS;
  let prefix: string;
  let states: RedisState[];
  let hook: WebhookReceiver;

  beforeEach(async () => {
    prefix = uniquePrefix();
    states = [];
    hook = await startWebhookReceiver((response) => status(200, response));
  });
  afterEach(async () => {
    await deleteKeys(states[0]!.client, prefix);
    await Promise.all(states.map((state) => state.close()));
    await hook.close();
  });

  async function instances(clock: ReturnType<typeof manualClock>) {
    const shape = normalTraffic();
    shape.tools.search!.errorRate = between(
      stepAt,
      backAt,
      () => 0.3,
      () => 0.02,
    );
    const config = observeConfig({
      anomaly: { backfillHours: 7 * 24 + 12 },
      alerts: { webhooks: [{ url: hook.url, secret: 'a-secret-of-16-chars' }] },
    });
    const setups: AnomalySetup[] = [];
    for (let index = 0; index < 2; index += 1) {
      const state = await openRedisState({ url, keyPrefix: prefix, clock: clock.now });
      states.push(state);
      setups.push(
        anomalySetup({
          config,
          // Each instance reads the same traffic, as both would from the shared stats store.
          reader: new SyntheticTraffic(shape),
          stores: { alerts: state.alerts, baselines: state.baselines },
          logger: createSilentLogger(),
          now: clock.now,
        }),
      );
    }
    return setups;
  }

  /** Both instances evaluate and deliver every minute, at the same moment. */
  async function runBoth(
    setups: AnomalySetup[],
    clock: ReturnType<typeof manualClock>,
    to: number,
  ) {
    const evaluated: number[] = [];
    for (let at = clock.now() + MINUTE_MS; at <= to; at += MINUTE_MS) {
      clock.set(at);
      const results = await Promise.all(setups.map((setup) => setup.evaluator.tick()));
      evaluated.push(results.filter((result) => result.evaluated).length);
      await Promise.all(setups.map((setup) => setup.delivery.deliverDue()));
    }
    return evaluated;
  }

  it('raise one alert and one webhook per transition', async () => {
    const clock = manualClock(stepAt - HOUR_MS);
    const setups = await instances(clock);
    // The first to take the lease fills the history; the other waits its turn.
    for (let filled = 0; filled < 10; filled += 1) {
      await Promise.all(setups.map((setup) => setup.evaluator.tick()));
    }

    const evaluated = await runBoth(setups, clock, backAt + HOUR_MS);

    expect(new Set(evaluated)).toEqual(new Set([1]));
    const alerts = await states[0]!.alerts.list({ state: 'all', limit: 10 });
    expect(alerts.map((alert) => [alert.series, alert.key, alert.state])).toEqual([
      ['tool_error_rate', 'search', 'resolved'],
    ]);
    const bodies = hook.received.map((request) => JSON.parse(request.body));
    expect(bodies.map((body) => [body.type, body.alert.id])).toEqual([
      ['alert.opened', alerts[0]!.id],
      ['alert.resolved', alerts[0]!.id],
    ]);
  });

  it('hand evaluation over when the instance holding the lease stops', async () => {
    const clock = manualClock(stepAt - HOUR_MS);
    const [first, second] = await instances(clock);
    for (let filled = 0; filled < 10; filled += 1) await first!.evaluator.tick();
    expect((await second!.evaluator.tick()).evaluated).toBe(false);

    // The first instance opens the alert, then shuts down while it is open.
    await runBoth([first!, second!], clock, stepAt + HOUR_MS);
    expect(hook.received.map((request) => JSON.parse(request.body).type)).toEqual(['alert.opened']);
    await first!.stop();

    const evaluated = await runBoth([second!], clock, backAt + HOUR_MS);
    expect(new Set(evaluated)).toEqual(new Set([1]));
    expect(hook.received.map((request) => JSON.parse(request.body).type)).toEqual([
      'alert.opened',
      'alert.resolved',
    ]);
    expect(await states[1]!.alerts.list({ state: 'open', limit: 10 })).toEqual([]);
  });

  it('let a peer take over once a crashed instance’s lease runs out', async () => {
    const clock = manualClock(stepAt - HOUR_MS);
    const [crashed, survivor] = await instances(clock);
    await crashed!.evaluator.tick();
    const leaseMs = crashed!.evaluator.leaseMs;

    clock.set(clock.now() + leaseMs - 1);
    expect((await survivor!.evaluator.tick()).evaluated).toBe(false);
    clock.set(clock.now() + 1);
    expect((await survivor!.evaluator.tick()).evaluated).toBe(true);
  });
});
