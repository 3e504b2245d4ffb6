import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type SqliteStore } from '../../store/index.js';
import { AFTER_BASELINE, DetectorRig, manualClock } from './test-support/rig.js';
import {
  between,
  HOUR_MS,
  normalTraffic,
  SyntheticTraffic,
} from './test-support/synthetic-traffic.js';

/**
 * A restart in the middle of an alert, on the embedded SQLite file: the history and the open
 * alert are still there, so the new process neither rebuilds the baseline nor opens the alert
 * again, and it resolves it when the series returns.
 */
describe('anomaly detection across a restart', () => {
  let directory: string;
  const opened: SqliteStore[] = [];

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'rampart-anomaly-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps the baseline and the open alert in the SQLite file', async () => {
    const stepAt = AFTER_BASELINE + 10 * HOUR_MS;
    const backAt = stepAt + 2 * HOUR_MS;
    const shape = normalTraffic();
    shape.tools.search!.errorRate = between(
      stepAt,
      backAt,
      () => 0.3,
      () => 0.02,
    );
    const weatherAt = stepAt + 3 * HOUR_MS;
    shape.tools.weather!.errorRate = between(
      weatherAt,
      weatherAt + HOUR_MS,
      () => 0.5,
      () => 0.05,
    );
    const clock = manualClock(stepAt - HOUR_MS);
    const open = (backfillHours: number) => {
      const store = openSqliteStore({ path: join(directory, 'rampart.db'), clock: clock.now });
      opened.push(store);
      const reader = new SyntheticTraffic(shape);
      const config = { anomaly: { backfillHours } };
      const rig = new DetectorRig({ reader, config, clock, ...storesOf(store) });
      return { store, reader, rig };
    };

    const before = open(7 * 24 + 12);
    await before.rig.warmUp();
    await before.rig.runUntil(stepAt + HOUR_MS);
    expect(before.rig.timeline(stepAt).map((entry) => entry[0])).toEqual(['opened']);
    // A graceful stop gives the evaluator lease up, so the next process evaluates at once.
    await before.rig.evaluator.release();
    await before.store.close();

    // No backfill this time: whatever the new process knows of past days, the file kept.
    const after = open(0);
    await after.rig.tick();
    expect(after.reader.summaries).toBe(1);
    await after.rig.runUntil(weatherAt + 2 * HOUR_MS);

    const timeline = after.rig
      .timeline(stepAt)
      .map(([type, , key, minutes]) => [type, key, minutes]);
    expect(timeline.map(([type, key]) => [type, key])).toEqual([
      ['resolved', 'search'],
      ['opened', 'weather'],
      ['resolved', 'weather'],
    ]);
    const weatherOpened = (timeline[1]![2] as number) - 180;
    expect(weatherOpened).toBeGreaterThanOrEqual(20);
    expect(weatherOpened).toBeLessThanOrEqual(35);
    const all = await after.store.alerts.list({ state: 'all', limit: 10 });
    expect(all.map((alert) => [alert.key, alert.state])).toEqual([
      ['weather', 'resolved'],
      ['search', 'resolved'],
    ]);
    expect(after.rig.transitions[0]!.alert.id).toBe(before.rig.transitions[0]!.alert.id);
  });
});

function storesOf(store: SqliteStore) {
  return { alerts: store.alerts, baselines: store.baselines };
}
