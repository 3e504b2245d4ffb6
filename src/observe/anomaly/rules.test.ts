import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { MemoryBaselineStore } from '../../store/index.js';
import { AFTER_BASELINE, DetectorRig } from './test-support/rig.js';
import { scriptedReader } from './test-support/scripted-reader.js';
import { MINUTE_MS } from './test-support/synthetic-traffic.js';

/**
 * The alerting rule on values chosen to the unit. The history is 900, 950, 1000, 1050, 1100 ms
 * in turn, so the baseline is a median of 1000 and a MAD of 50: one scaled MAD is 74.13 ms,
 * the alerting line (4) is 1296.5 ms and the clearing line (2) 1148.3 ms.
 */
const T = AFTER_BASELINE + 10 * 60 * MINUTE_MS;
const HISTORY = [900, 950, 1000, 1050, 1100];

function historyAt(to: number): number {
  return HISTORY[Math.floor(to / (15 * MINUTE_MS)) % HISTORY.length]!;
}

/** `during(minutes since T)` from T on, the history before. */
function latencyScript(during: (minute: number) => number | undefined) {
  return scriptedReader({
    latency: (to): Record<string, number> => {
      if (to <= T) return { 'sim/fast': historyAt(to) };
      const value = during((to - T) / MINUTE_MS);
      return value === undefined ? {} : { 'sim/fast': value };
    },
  });
}

async function run(rig: DetectorRig, minutes: number) {
  rig.clock.set(T - MINUTE_MS);
  await rig.warmUp();
  await rig.runUntil(T + minutes * MINUTE_MS);
  return rig.timeline(T);
}

const history = { backfillHours: 7 * 24 + 12 };

describe('the alerting rule', () => {
  it('opens once on a value hovering around the line, and does not flap around the clearing line', async () => {
    const reader = latencyScript((minute) => {
      if (minute <= 60) return minute % 2 === 1 ? 1_350 : 1_250; // breach, hold, breach...
      if (minute <= 120) return minute % 2 === 1 ? 1_100 : 1_200; // calm, hold, calm...
      return 1_000;
    });
    const rig = new DetectorRig({ reader, config: { anomaly: history } });

    expect(await run(rig, 180)).toEqual([
      // The first breach at minute 1, then no calm for 20 minutes and a breach at 21.
      ['opened', 'model_latency_p95', 'sim/fast', 21],
      // Calm from minute 121 on, for the 15 clearing minutes.
      ['resolved', 'model_latency_p95', 'sim/fast', 136],
    ]);
    const alert = rig.transitions[0]!.alert;
    expect(alert.baseline).toEqual({ median: 1_000, mad: 50 });
    expect(alert.value).toBe(1_350);
    expect(alert.deviations).toBeCloseTo(350 / (1.4826 * 50), 10);
  });

  it('starts the sustain time again after a calm evaluation', async () => {
    // Breaches for 19 minutes, one calm minute, again and again: never 20 in a row.
    const reader = latencyScript((minute) => (minute % 20 === 0 ? 1_000 : 1_400));
    const rig = new DetectorRig({ reader, config: { anomaly: history } });

    expect(await run(rig, 120)).toEqual([]);
  });

  it('needs the minimum relative change as well as the deviations', async () => {
    // 4.5 scaled MADs above, but 16.7 % over the median where 20 % is the minimum.
    const reader = latencyScript(() => 1_334);
    const rig = new DetectorRig({
      reader,
      config: {
        anomaly: { ...history, series: { model_latency_p95: { minRelativeChange: 0.35 } } },
      },
    });

    expect(await run(rig, 60)).toEqual([]);
  });

  it('watches below the baseline when told to', async () => {
    const reader = latencyScript(() => 500);
    const above = new DetectorRig({ reader, config: { anomaly: history } });
    const below = new DetectorRig({
      reader,
      config: { anomaly: { ...history, series: { model_latency_p95: { direction: 'below' } } } },
    });

    expect(await run(above, 40)).toEqual([]);
    expect(await run(below, 40)).toEqual([['opened', 'model_latency_p95', 'sim/fast', 21]]);
  });

  it('waits for the minimum days of history', async () => {
    const reader = latencyScript(() => 3_000);
    const rig = new DetectorRig({
      reader,
      config: { anomaly: { backfillHours: 2 * 24 + 12, minBaselineDays: 3 } },
    });

    expect(await run(rig, 60)).toEqual([]);
  });

  it('records new slots on the grid of a window length changed since the last one', async () => {
    const reader = latencyScript(() => 1_000);
    const baselines = new MemoryBaselineStore();
    await baselines.record(T - 75 * MINUTE_MS, []);
    const rig = new DetectorRig({
      reader,
      baselines,
      config: { anomaly: { windowMinutes: 10, backfillHours: 2 } },
    });

    await run(rig, 30);

    // The last 15-minute slot began at 08:45; 10-minute slots follow from 08:50, not 09:00.
    expect(await baselines.lastSlot()).toBe(T + 10 * MINUTE_MS);
    const recorded = await baselines.read('model_latency_p95', 'sim/fast', [
      T - 70 * MINUTE_MS,
      T - 65 * MINUTE_MS,
      T - 60 * MINUTE_MS,
    ]);
    expect(recorded.map((point) => (point.slot - T) / MINUTE_MS)).toEqual([-70, -60]);
  });

  it('resolves an open alert whose series has had no data for an hour', async () => {
    const reader = latencyScript((minute) => (minute <= 30 ? 3_000 : undefined));
    const rig = new DetectorRig({ reader, config: { anomaly: history } });

    expect(await run(rig, 120)).toEqual([
      ['opened', 'model_latency_p95', 'sim/fast', 21],
      ['resolved', 'model_latency_p95', 'sim/fast', 90],
    ]);
  });
});

describe('static thresholds', () => {
  const limit = {
    series: 'model_latency_p95',
    key: 'sim/fast',
    direction: 'above',
    value: 1_500,
    clearValue: 1_400,
  } as const;

  it('alert on a hard limit, with the anomaly detector off, and clear below the clearing value', async () => {
    const reader = latencyScript((minute) => {
      if (minute <= 10) return 1_600;
      if (minute <= 30) return minute % 2 === 0 ? 1_450 : 1_550; // hold, breach
      return 1_300;
    });
    const rig = new DetectorRig({
      reader,
      config: { anomaly: { enabled: false }, alerts: { thresholds: [limit] } },
    });

    expect(await run(rig, 60)).toEqual([
      ['opened', 'model_latency_p95', 'sim/fast', 6],
      ['resolved', 'model_latency_p95', 'sim/fast', 36],
    ]);
    expect(rig.transitions[0]!.alert).toMatchObject({
      kind: 'threshold',
      rule: 'above:1500',
      severity: 'critical',
      value: 1_600,
      message: 'The p95 latency of sim/fast is 1600 ms, above the limit of 1500 ms for 5 min.',
    });
    expect(rig.transitions[0]!.alert.baseline).toBeUndefined();
  });

  it('log a warning when an alert opens and an info line when it resolves', async () => {
    const lines: Array<Record<string, any>> = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line: string) => void lines.push(JSON.parse(line)) },
    });
    const reader = latencyScript((minute) => (minute <= 10 ? 1_600 : 1_300));
    const config = { anomaly: { enabled: false }, alerts: { thresholds: [limit] } };
    const rig = new DetectorRig({ reader, config, logger });

    await run(rig, 30);

    const alertLines = lines.filter((line) => line.alert !== undefined);
    expect(alertLines.map((line) => [line.level, line.msg, line.alert.state, line.reason])).toEqual(
      [
        [40, 'alert opened', 'open', undefined],
        [30, 'alert resolved', 'resolved', 'back to normal'],
      ],
    );
    expect(alertLines[0]!.alert).toMatchObject({
      id: rig.transitions[0]!.alert.id,
      series: 'model_latency_p95',
      key: 'sim/fast',
      kind: 'threshold',
      opened_at: new Date(T + 6 * MINUTE_MS).toISOString(),
    });
  });

  it('does not count a rate over too few calls', async () => {
    const rule = { series: 'tool_error_rate', direction: 'above', value: 0.5 } as const;
    const reader = scriptedReader({
      tools: (to) =>
        to < T + 60 * MINUTE_MS
          ? { lookup: { calls: 1, errors: 1 } }
          : { lookup: { calls: 40, errors: 30 } },
    });
    const rig = new DetectorRig({
      reader,
      config: { anomaly: { enabled: false }, alerts: { thresholds: [rule] } },
    });

    // An hour of one call that failed (100 %, over 1 call): nothing. Then 75 % over 40 calls.
    expect(await run(rig, 90)).toEqual([['opened', 'tool_error_rate', 'lookup', 65]]);
  });
});
