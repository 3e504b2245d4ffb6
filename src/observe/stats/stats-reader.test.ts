import { describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../core/logger.js';
import { MemoryStatsStore } from '../../store/index.js';
import { Rollup } from './rollup.js';
import { figuresOf } from './stats-figures.js';
import { StatsReader } from './stats-reader.js';
import { StatsSink } from './stats-sink.js';
import { settledTurn } from './test-support/turns.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.UTC(2026, 11, 5, 10, 0, 0);

/** One instance's sink and a reader over a memory store with `retentionMs`, on a set clock. */
function rig(retentionMs = 48 * HOUR) {
  let now = T0;
  const clock = () => now;
  const store = new MemoryStatsStore({ retentionMs, now: clock });
  const sinkFor = (instance: string) =>
    new StatsSink({
      store,
      instance,
      retentionMs,
      maxPendingMinutes: 60,
      now: clock,
      logger: createSilentLogger(),
    });
  const sink = sinkFor('i-1');
  const reader = new StatsReader({ store, retentionMs, refresh: () => sink.flush(), now: clock });
  /** A turn at `at` with one call of `durationMs` to p/m. */
  const turn = (at: number, durationMs = 100) =>
    sink.handle(settledTurn({ at, calls: [{ target: 'p/m', durationMs }] }));
  return { store, sink, sinkFor, reader, turn, setNow: (at: number) => (now = at) };
}

describe('StatsReader', () => {
  it('serves whole minutes up to the end of the current one', async () => {
    const { reader, turn, setNow } = rig();
    setNow(T0 + 14 * MINUTE + 30_000);
    turn(T0 - 1); // just before the window
    turn(T0); // its first instant
    turn(T0 + 14 * MINUTE + 29_999); // the current minute, so far

    const window = await reader.window(15 * MINUTE);

    expect([window.from, window.to]).toEqual([T0, T0 + 15 * MINUTE]);
    expect(window.figures.counters.turns).toBe(2);
  });

  it('aligns timeline points on multiples of the step and rounds the window up', async () => {
    const { reader, turn, setNow } = rig();
    setNow(T0 + 7 * MINUTE);
    for (let minute = -30; minute <= 7; minute += 1) turn(T0 + minute * MINUTE);

    const timeline = await reader.timeline(20 * MINUTE, 3 * MINUTE);

    // 10:07 is in the step 10:06-10:09; 20 minutes round up to 7 steps of 3.
    expect(timeline.to).toBe(T0 + 9 * MINUTE);
    expect(timeline.from).toBe(T0 - 12 * MINUTE);
    expect(timeline.points.map((point) => (point.at - T0) / MINUTE)).toEqual([
      -12, -9, -6, -3, 0, 3, 6,
    ]);
    expect(timeline.points.map((point) => point.figures.counters.turns)).toEqual([
      3, 3, 3, 3, 3, 3, 2,
    ]);
    expect(timeline.instances).toBe(1);
  });

  it('merges every instance of a point and counts the instances of the window', async () => {
    const { sinkFor, store, setNow } = rig();
    const sinks = ['a', 'b', 'c'].map(sinkFor);
    sinks[0]!.handle(settledTurn({ at: T0, calls: [{ target: 'p/m', durationMs: 10 }] }));
    sinks[1]!.handle(settledTurn({ at: T0, calls: [{ target: 'p/m', durationMs: 30 }] }));
    sinks[2]!.handle(settledTurn({ at: T0 + MINUTE, calls: [{ target: 'p/m', durationMs: 20 }] }));
    setNow(T0 + MINUTE);
    await Promise.all(sinks.map((sink) => sink.flush()));
    const reader = new StatsReader({ store, retentionMs: 48 * HOUR, now: () => T0 + MINUTE });

    const timeline = await reader.timeline(2 * MINUTE, MINUTE);
    const window = await reader.window(2 * MINUTE);

    expect(timeline.points.map((point) => point.figures.instances)).toEqual([2, 3]);
    expect(timeline.instances).toBe(3);
    expect(window.figures.models['p/m']?.duration).toEqual({
      count: 3,
      p50: 20_095,
      p95: 30_000,
      p99: 30_000,
      max: 30_000,
    });
  });

  it('forgets minutes past retention', async () => {
    const { reader, turn, setNow } = rig(HOUR);
    turn(T0);
    turn(T0 + MINUTE);
    setNow(T0 + MINUTE);
    await reader.window(MINUTE);

    setNow(T0 + HOUR);
    expect((await reader.window(HOUR)).figures.counters.turns).toBe(1);
    setNow(T0 + HOUR + MINUTE);
    expect((await reader.window(HOUR)).figures.counters.turns).toBe(0);
  });

  describe('hourly rollups', () => {
    /** Turns spread over six hours, at minutes that fall on and off hour edges. */
    function spread(turn: (at: number, durationMs?: number) => void) {
      for (let index = 0; index < 240; index += 1) {
        const minute = (index * 97) % 360;
        turn(T0 - 6 * HOUR + minute * MINUTE + (index % 60) * 1_000, 5 + ((index * 31) % 400));
      }
    }

    /** What the minutes alone say about [from, to), merged here. */
    async function fromMinutes(store: MemoryStatsStore, from: number, to: number) {
      const rollup = new Rollup();
      for (const minute of await store.read(from, to)) rollup.merge(minute);
      return figuresOf(rollup);
    }

    it('give a long window the same figures as its minutes', async () => {
      const { reader, store, turn, setNow } = rig();
      spread(turn);
      setNow(T0 + 7 * MINUTE);
      const units: string[] = [];
      const read = store.read.bind(store);
      store.read = (from, to, unit) => {
        units.push(unit ?? 'minute');
        return read(from, to, unit);
      };

      const window = await reader.window(5 * HOUR + 30 * MINUTE);

      expect(units.sort()).toEqual(['hour', 'minute', 'minute']);
      expect(window.from).toBe(T0 - 5 * HOUR - 22 * MINUTE);
      expect(window.figures).toEqual(await fromMinutes(store, window.from, window.to));
      expect(window.figures.counters.turns).toBeGreaterThan(150);
    });

    it('give hourly points the same figures as their minutes', async () => {
      const { reader, store, turn, setNow } = rig();
      spread(turn);
      setNow(T0 + 7 * MINUTE);

      const timeline = await reader.timeline(7 * HOUR, HOUR);

      expect(timeline.points).toHaveLength(7);
      for (const point of timeline.points) {
        expect(point.figures).toEqual(await fromMinutes(store, point.at, point.at + HOUR));
      }
      const turns = timeline.points.map((point) => point.figures.counters.turns);
      expect(turns.reduce((sum, count) => sum + count, 0)).toBe(240);
    });

    it('read an hour that is expiring minute by minute', async () => {
      const { reader, store, turn, setNow } = rig(3 * HOUR);
      spread(turn);
      setNow(T0 - 6 * HOUR + 5 * MINUTE);
      await reader.window(MINUTE);
      // Three hours after a 35 minutes past: the first 35 minutes of that hour have expired.
      setNow(T0 - 3 * HOUR + 35 * MINUTE);

      const window = await reader.window(3 * HOUR);

      expect(window.figures).toEqual(await fromMinutes(store, window.from, window.to));
      expect(window.figures.counters.turns).toBeGreaterThan(0);
    });
  });

  describe('summarize', () => {
    it('covers every minute overlapping [from, to), as whole minutes', async () => {
      const { reader, sink, setNow } = rig();
      const at = (minute: number) => T0 + minute * MINUTE;
      sink.handle(
        settledTurn({
          at: at(0),
          calls: [
            { target: 'p/a', durationMs: 100, outcome: 'failed' },
            { target: 'p/b', durationMs: 300 },
          ],
          tools: [
            { name: 'search', durationMs: 5 },
            { name: 'search', durationMs: 5, errorCode: 'RAMPART_TOOL_FAILED' },
            { name: 'search', durationMs: 5, errorCode: 'RAMPART_TOOL_TIMEOUT' },
            { name: 'search', durationMs: 0, errorCode: 'RAMPART_TOOL_DENIED' },
            { name: 'search', durationMs: 0, errorCode: 'RAMPART_TOOL_INVALID_ARGUMENTS' },
          ],
          costNanos: 7,
        }),
      );
      sink.handle(settledTurn({ at: at(2) + 59_999, costNanos: 5 }));
      sink.handle(settledTurn({ at: at(3), costNanos: 1_000 }));
      sink.handle({
        type: 'conversation',
        at: at(1),
        turns: 4,
        tokens: 10,
        costNanos: 3,
        abandonedAfterError: false,
      });
      setNow(at(5));

      const summary = await reader.summarize(at(0) + 30_000, at(2) + 1);

      expect(summary).toEqual({
        from: at(0),
        to: at(3),
        turns: 2,
        tools: { search: { calls: 5, errors: 2 } },
        models: {
          'p/a': { calls: 1, latencyP95Ms: 100 },
          'p/b': { calls: 1, latencyP95Ms: 300 },
        },
        modelCalls: 2,
        fallbacks: 1,
        conversations: { ended: 1, turns: 4 },
        costNanos: 12,
      });
    });

    it('summarizes an empty window as zeros', async () => {
      const { reader } = rig();
      expect(await reader.summarize(T0, T0 + HOUR)).toEqual({
        from: T0,
        to: T0 + HOUR,
        turns: 0,
        tools: {},
        models: {},
        modelCalls: 0,
        fallbacks: 0,
        conversations: { ended: 0, turns: 0 },
        costNanos: 0,
      });
    });
  });
});
