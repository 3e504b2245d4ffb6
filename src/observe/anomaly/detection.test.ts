import { describe, expect, it } from 'vitest';
import { AFTER_BASELINE, DetectorRig } from './test-support/rig.js';
import {
  between,
  DAY_MS,
  HOUR_MS,
  normalTraffic,
  SyntheticTraffic,
  type TrafficShape,
} from './test-support/synthetic-traffic.js';

/**
 * The detector against synthetic traffic with a daily cycle, on a fake clock: a week of
 * history, then the scenario, evaluated every minute as the timer would.
 */

/** Backfill reaches the whole baseline week before the scenario's first evaluation. */
const BACKFILL_HOURS = 7 * 24 + 12;
const config = { anomaly: { backfillHours: BACKFILL_HOURS } };
const { windowMinutes, sustainMinutes, clearMinutes } = {
  windowMinutes: 15,
  sustainMinutes: 20,
  clearMinutes: 15,
};

/** A rig over `shape`, started at `start` with its history filled. */
async function rigAt(shape: TrafficShape, start: number) {
  const rig = new DetectorRig({ reader: new SyntheticTraffic(shape), config, start });
  await rig.warmUp();
  return rig;
}

describe('anomaly detection', () => {
  it('alerts on a step in a tool error rate within the configured delay, and clears after', async () => {
    const shape = normalTraffic();
    const stepAt = AFTER_BASELINE + 10 * HOUR_MS;
    const backAt = stepAt + 2 * HOUR_MS;
    shape.tools.search!.errorRate = between(
      stepAt,
      backAt,
      () => 0.3,
      () => 0.02,
    );
    const rig = await rigAt(shape, stepAt - HOUR_MS);

    await rig.runUntil(backAt + 2 * HOUR_MS);

    const timeline = rig.timeline(stepAt);
    expect(timeline.map(([type, series, key]) => [type, series, key])).toEqual([
      ['opened', 'tool_error_rate', 'search'],
      ['resolved', 'tool_error_rate', 'search'],
    ]);
    const [opened, resolved] = timeline.map((entry) => entry[3]);
    expect(opened).toBeGreaterThanOrEqual(sustainMinutes);
    expect(opened).toBeLessThanOrEqual(sustainMinutes + windowMinutes);
    const clearedAfter = resolved! - 120;
    expect(clearedAfter).toBeGreaterThanOrEqual(clearMinutes);
    expect(clearedAfter).toBeLessThanOrEqual(clearMinutes + windowMinutes);

    const alert = rig.transitions[0]!.alert;
    expect(alert).toMatchObject({ kind: 'anomaly', severity: 'warning', state: 'open' });
    expect(alert.value).toBeGreaterThan(0.15);
    expect(alert.baseline!.median).toBeLessThan(0.05);
    expect(alert.deviations).toBeGreaterThan(4);
    expect(alert.message).toMatch(/^The error rate of tool search is [\d.]+%, against a usual/);
  });

  it('alerts on a slow drift of a model latency', async () => {
    const shape = normalTraffic();
    const driftFrom = AFTER_BASELINE + 8 * HOUR_MS;
    const base = shape.models['sim/fast']!.latencyMs;
    // Three times slower after twelve hours, a quarter more each hour.
    shape.models['sim/fast']!.latencyMs = (at) =>
      base(at) * (1 + Math.max(0, (at - driftFrom) / (12 * HOUR_MS)) * 2);
    const rig = await rigAt(shape, driftFrom - HOUR_MS);

    await rig.runUntil(driftFrom + 6 * HOUR_MS);

    const timeline = rig.timeline(driftFrom);
    expect(timeline.map(([type, series, key]) => [type, series, key])).toEqual([
      ['opened', 'model_latency_p95', 'sim/fast'],
    ]);
    // Under half an hour of drift is within the noise; it alerts long before six hours.
    expect(timeline[0]![3]).toBeGreaterThan(30);
    expect(timeline[0]![3]).toBeLessThan(4 * 60);
  });

  it('raises no alert over a week of normal daily cycles', async () => {
    const rig = await rigAt(normalTraffic(), AFTER_BASELINE);

    await rig.runUntil(AFTER_BASELINE + 7 * DAY_MS);

    // One evaluation a minute for the week, every series and key judged each time.
    expect(rig.transitions).toEqual([]);
    expect(await rig.alerts.list({ state: 'all', limit: 10 })).toEqual([]);
  }, 120_000);

  it.each([1, 2])('ignores a spike lasting %i evaluation(s)', async (minutes) => {
    const shape = normalTraffic();
    const spikeAt = AFTER_BASELINE + 11 * HOUR_MS;
    const spikeEnd = spikeAt + minutes * 60_000;
    shape.tools.search!.errorRate = between(
      spikeAt,
      spikeEnd,
      () => 1,
      () => 0.02,
    );
    const latency = shape.models['sim/fast']!.latencyMs;
    shape.models['sim/fast']!.latencyMs = between(
      spikeAt,
      spikeEnd,
      (at) => 10 * latency(at),
      latency,
    );
    const load = shape.turnsPerMinute;
    shape.turnsPerMinute = between(spikeAt, spikeEnd, (at) => 5 * load(at), load);
    const rig = await rigAt(shape, spikeAt - HOUR_MS);

    await rig.runUntil(spikeEnd + 2 * HOUR_MS);

    expect(rig.transitions).toEqual([]);
  });
});
