import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { createLogger } from '../../core/logger.js';
import { MemoryStatsStore, type StatsWrite } from '../../store/index.js';
import { Telemetry, type StatsFlushed } from '../telemetry.js';
import { statsSetup, type Stats } from './stats-setup.js';
import { settledTurn } from './test-support/turns.js';

const T0 = Date.UTC(2026, 11, 5, 10, 0, 0);
const MINUTE = 60_000;

const opened: Stats[] = [];
afterEach(async () => {
  for (const stats of opened.splice(0)) await stats.close();
});

/** Stats wired as an instance wires them: the sink's flush reports go back through the hub. */
function rig() {
  let now = T0;
  const clock = { now: () => now, set: (at: number) => (now = at) };
  const inner = new MemoryStatsStore({ retentionMs: 24 * 60 * MINUTE, now: clock.now });
  const writes: StatsWrite[] = [];
  const store = {
    add: async (write: StatsWrite) => {
      writes.push(write);
      await inner.add(write);
    },
    read: (from: number, to: number) => inner.read(from, to),
  };
  const telemetry = new Telemetry({ now: clock.now });
  const reports: StatsFlushed[] = [];
  telemetry.subscribe({
    name: 'reports',
    handle: (event) => {
      if (event.type === 'stats-flush') reports.push(event);
    },
  });
  // An hour between timed flushes: the test flushes by hand.
  const config = { ...loadConfig().observe.stats, flushMs: 3_600_000 };
  const stats = statsSetup({
    config,
    store,
    telemetry,
    logger: createLogger({ level: 'silent' }),
    instance: 'i-1',
  })!;
  opened.push(stats);
  return { clock, telemetry, stats, writes, reports };
}

describe('statsSetup', () => {
  it('reports each flush to the hub without that report making work for the next flush', async () => {
    const { clock, telemetry, stats, writes, reports } = rig();
    telemetry.emit(settledTurn({ at: T0 }));
    await stats.sink.flush();
    expect(writes).toHaveLength(1);
    expect(reports.map((report) => report.written)).toEqual([1]);

    // Idle for the rest of the minute: nothing more to write, however often it flushes.
    for (let flush = 0; flush < 5; flush++) await stats.sink.flush();
    expect(writes).toHaveLength(1);
    expect(reports).toHaveLength(1);

    // The next minute, an idle instance writes once to say it is there.
    clock.set(T0 + MINUTE);
    for (let flush = 0; flush < 3; flush++) await stats.sink.flush();
    expect(writes.map((write) => (write.minute - T0) / MINUTE)).toEqual([0, 1]);
    expect(reports.map((report) => report.written)).toEqual([1, 1]);
  });
});
