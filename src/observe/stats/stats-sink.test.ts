import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { RampartError } from '../../core/errors.js';
import { MemoryStatsStore, type StatsStore, type StatsWrite } from '../../store/index.js';
import { Telemetry } from '../telemetry.js';
import { MAX_NAMES_PER_MINUTE } from './rollup.js';
import { StatsReader } from './stats-reader.js';
import { StatsSink, type FlushReport } from './stats-sink.js';
import { settledTurn } from './test-support/turns.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 5, 10, 0, 0);
const RETENTION = 48 * 3_600_000;

function logLines() {
  const lines: Array<{ level: number; msg: string }> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'debug', destination }) };
}

/** A store that fails while `down` is set; with `loseReplies` it applies the write, then fails. */
class FlakyStore implements StatsStore {
  down = false;
  loseReplies = false;
  adds = 0;
  constructor(readonly inner: StatsStore) {}

  async add(write: StatsWrite): Promise<void> {
    this.adds += 1;
    if (this.loseReplies) await this.inner.add(write);
    if (this.down || this.loseReplies) {
      throw new RampartError('RAMPART_STATE_UNAVAILABLE', 'stats store down');
    }
    await this.inner.add(write);
  }

  read(from: number, to: number) {
    return this.inner.read(from, to);
  }
}

function rig(options: { store?: StatsStore; instance?: string; maxPendingMinutes?: number } = {}) {
  let now = T0;
  const clock = { now: () => now, set: (at: number) => (now = at) };
  const store = options.store ?? new MemoryStatsStore({ retentionMs: RETENTION, now: clock.now });
  const telemetry = new Telemetry({ now: clock.now });
  const { lines, logger } = logLines();
  const reports: FlushReport[] = [];
  const sink = new StatsSink({
    store,
    instance: options.instance ?? 'i-1',
    retentionMs: RETENTION,
    maxPendingMinutes: options.maxPendingMinutes ?? 60,
    now: clock.now,
    logger,
    report: (flushed) => reports.push(flushed),
  });
  telemetry.subscribe(sink);
  const reader = new StatsReader({
    store,
    retentionMs: RETENTION,
    refresh: () => sink.flush(),
    now: clock.now,
  });
  return { clock, store, telemetry, sink, reader, lines, reports };
}

describe('StatsSink', () => {
  it('rolls up turns, feedback and conversations into the figures of the window', async () => {
    const { telemetry, reader } = rig();
    telemetry.emit(
      settledTurn({
        at: T0 + 1_000,
        calls: [
          { target: 'openai/gpt-4o-mini', durationMs: 900, ttftMs: 210, outcome: 'failed' },
          { target: 'anthropic/claude', durationMs: 1_200, ttftMs: 300, cachedInputTokens: 8 },
          { target: 'anthropic/claude', durationMs: 0, outcome: 'skipped' },
        ],
        tools: [
          { name: 'search', durationMs: 35 },
          { name: 'search', durationMs: 80, errorCode: 'RAMPART_TOOL_FAILED' },
          { name: 'search', durationMs: 0, errorCode: 'RAMPART_TOOL_DENIED' },
          { name: 'search', durationMs: 95, errorCode: 'RAMPART_TOOL_TIMEOUT' },
          { name: 'made_up', durationMs: 0, errorCode: 'RAMPART_TOOL_NOT_FOUND' },
          { name: 'search', durationMs: 1, errorCode: 'RAMPART_TOOL_INVALID_ARGUMENTS' },
        ],
        inputTokens: 100,
        outputTokens: 20,
        costNanos: 1_500_000,
        flagged: 2,
        redactions: { email: 2, card: 1 },
        retry: true,
      }),
    );
    telemetry.emit(
      settledTurn({
        at: T0 + 2_000,
        errorCode: 'RAMPART_CLIENT_CLOSED',
        streamed: true,
        degraded: true,
      }),
    );
    telemetry.emit(settledTurn({ at: T0 + 3_000, errorCode: 'RAMPART_UPSTREAM_ERROR' }));
    telemetry.emit({ type: 'feedback', at: T0 + 4_000, rating: 'up', hasComment: false });
    telemetry.emit({ type: 'feedback', at: T0 + 5_000, rating: 'down', hasComment: true });
    telemetry.emit({
      type: 'conversation',
      at: T0 + 6_000,
      turns: 3,
      tokens: 800,
      costNanos: 2_000_000,
      abandonedAfterError: true,
    });
    telemetry.emit({ type: 'queue', at: T0, waitedMs: 5, outcome: 'admitted' });

    const window = await reader.window(15 * MINUTE);

    expect(window.from).toBe(T0 - 14 * MINUTE);
    expect(window.to).toBe(T0 + MINUTE);
    expect(window.figures.counters).toEqual({
      turns: 3,
      errors: 1,
      clientClosed: 1,
      tokens: 120,
      costNanos: 1_500_000,
      modelCalls: 2,
      fallbacks: 1,
      retries: 1,
      streamDropped: 1,
      leftAfterError: 1,
      cacheHits: 2,
      guardFlagged: 2,
      guardRedactions: 3,
      feedbackUp: 1,
      feedbackDown: 1,
      conversationsEnded: 1,
      conversationTurns: 3,
      conversationTokens: 800,
      conversationCostNanos: 2_000_000,
    });
    expect(window.figures.instances).toBe(1);
    expect(window.figures.models).toEqual({
      'anthropic/claude': {
        calls: 1,
        failed: 0,
        timeToFirstToken: { count: 1, p50: 300_000, p95: 300_000, p99: 300_000, max: 300_000 },
        duration: { count: 1, p50: 1_200_000, p95: 1_200_000, p99: 1_200_000, max: 1_200_000 },
      },
      'openai/gpt-4o-mini': {
        calls: 1,
        failed: 1,
        timeToFirstToken: { count: 1, p50: 210_000, p95: 210_000, p99: 210_000, max: 210_000 },
        duration: { count: 1, p50: 900_000, p95: 900_000, p99: 900_000, max: 900_000 },
      },
    });
    expect(window.figures.tools).toEqual({
      '(unknown)': {
        calls: 1,
        outcomes: { ok: 0, error: 0, invalid_arguments: 1, denied: 0, timeout: 0, cancelled: 0 },
        duration: undefined,
      },
      search: {
        calls: 5,
        outcomes: { ok: 1, error: 1, invalid_arguments: 1, denied: 1, timeout: 1, cancelled: 0 },
        // Only the three calls that ran: 35, 80 and 95 ms. The median is the top of 80 ms's
        // bucket (64 µs wide from 65.536 ms); the others are capped at the exact maximum.
        duration: { count: 3, p50: 80_383, p95: 95_000, p99: 95_000, max: 95_000 },
      },
    });
  });

  it('touches no store while recording; the flush writes', async () => {
    const { telemetry, store, sink } = rig({
      store: new FlakyStore(new MemoryStatsStore({ retentionMs: RETENTION })),
    });
    const flaky = store as FlakyStore;
    for (let index = 0; index < 100; index += 1) telemetry.emit(settledTurn({ at: T0 }));
    expect(flaky.adds).toBe(0);

    await sink.flush();

    expect(flaky.adds).toBe(1);
    const [minute] = await flaky.read(T0, T0 + MINUTE);
    expect(minute?.counters.get('turns')).toBe(100);
  });

  it('splits a busy minute into writes of at most 500 buckets, with the same figures', async () => {
    const flaky = new FlakyStore(new MemoryStatsStore({ retentionMs: RETENTION }));
    const { telemetry, reader } = rig({ store: flaky });
    // 1,200 calls of 1 µs to 1.2 ms: 534 buckets (each µs below 256 µs has its own).
    const tools = Array.from({ length: 1_200 }, (_, index) => ({
      name: 'quick',
      durationMs: (index + 1) / 1_000,
    }));
    telemetry.emit(settledTurn({ at: T0, tools, inputTokens: 7 }));

    const { figures } = await reader.window(MINUTE);

    expect(flaky.adds).toBe(2);
    expect(figures.counters.turns).toBe(1);
    expect(figures.counters.tokens).toBe(7);
    // The exact 600, 1,140 and 1,188 µs, each as the top of its bucket.
    expect(figures.tools.quick?.duration).toEqual({
      count: 1_200,
      p50: 603,
      p95: 1_143,
      p99: 1_191,
      max: 1_200,
    });
  });

  it('puts each event in the minute it happened, and reports an idle instance', async () => {
    const { telemetry, reader, clock } = rig();
    telemetry.emit(settledTurn({ at: T0 - MINUTE + 59_999 }));
    telemetry.emit(settledTurn({ at: T0 }));
    telemetry.emit(settledTurn({ at: T0 + 30_000 }));
    clock.set(T0 + 5 * MINUTE + 1);

    const timeline = await reader.timeline(10 * MINUTE, MINUTE);

    expect(timeline.from).toBe(T0 - 4 * MINUTE);
    expect(timeline.points.map((point) => point.figures.counters.turns)).toEqual([
      0, 0, 0, 1, 2, 0, 0, 0, 0, 0,
    ]);
    // The flush at T0 + 5 min wrote an empty minute: the instance is reporting.
    expect(timeline.points.map((point) => point.figures.instances)).toEqual([
      0, 0, 0, 1, 1, 0, 0, 0, 0, 1,
    ]);
  });

  it('holds what a failing store refused and writes it once when it is back', async () => {
    const inner = new MemoryStatsStore({ retentionMs: RETENTION });
    const flaky = new FlakyStore(inner);
    const { telemetry, sink, clock, lines, reports } = rig({ store: flaky });
    flaky.down = true;
    telemetry.emit(settledTurn({ at: T0, calls: [{ target: 'p/m', durationMs: 5 }] }));
    await sink.flush();
    clock.set(T0 + MINUTE);
    telemetry.emit(settledTurn({ at: T0 + MINUTE }));
    await sink.flush();
    expect(sink.heldMinutes).toBe(2);

    flaky.down = false;
    await sink.flush();

    expect(sink.heldMinutes).toBe(0);
    const read = await inner.read(T0, T0 + 2 * MINUTE);
    expect(read.map((minute) => minute.counters.get('turns'))).toEqual([1, 1]);
    expect(read[0]?.counters.get('model:p%2Fm:calls')).toBe(1);
    const messages = lines.map((line) => [line.level, line.msg]);
    expect(messages).toEqual([
      [40, 'stats store writes failing'],
      // A minute on, the outage is worth a reminder: one warning a minute, whatever the polls.
      [40, 'stats store writes still failing'],
      [30, 'stats store writes working again'],
    ]);
    // Each flush tells the metrics what it did: two refused tries, then both minutes written.
    expect(reports).toEqual([
      { written: 0, failed: 1, droppedMinutes: 0 },
      { written: 0, failed: 1, droppedMinutes: 0 },
      { written: 2, failed: 0, droppedMinutes: 0 },
    ]);
  });

  it('shares a flush not yet started among its callers, so a slow store never queues them', async () => {
    const inner = new MemoryStatsStore({ retentionMs: RETENTION });
    const flaky = new FlakyStore(inner);
    const slow: StatsStore = {
      // A store that takes its time to fail, as Redis does until the command timeout.
      add: async (write) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return flaky.add(write);
      },
      read: (from, to) => flaky.read(from, to),
    };
    const { telemetry, sink, reports } = rig({ store: slow });
    flaky.down = true;
    telemetry.emit(settledTurn({ at: T0 }));
    const first = sink.flush();
    // Calls made before it starts share it.
    expect(sink.flush()).toBe(first);
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Ten readers and ticks while the first flush runs: one more flush, not ten.
    const waiting = Array.from({ length: 10 }, () => sink.flush());
    await Promise.all([first, ...waiting]);
    expect(reports).toHaveLength(2);
    expect(new Set(waiting).size).toBe(1);
    expect(waiting[0]).not.toBe(first);

    flaky.down = false;
    await sink.flush();
    expect(sink.heldMinutes).toBe(0);
  });

  it('counts a write once when the store applied it but its reply was lost', async () => {
    const inner = new MemoryStatsStore({ retentionMs: RETENTION });
    const flaky = new FlakyStore(inner);
    const { telemetry, sink } = rig({ store: flaky });
    telemetry.emit(settledTurn({ at: T0 }));
    flaky.loseReplies = true;
    await sink.flush();
    flaky.loseReplies = false;
    telemetry.emit(settledTurn({ at: T0 + 1 }));
    await sink.flush();

    const [minute] = await inner.read(T0, T0 + MINUTE);
    expect(minute?.counters.get('turns')).toBe(2);
  });

  it('keeps at most maxPendingMinutes while the store is down, dropping the oldest', async () => {
    const inner = new MemoryStatsStore({ retentionMs: RETENTION });
    const flaky = new FlakyStore(inner);
    const { telemetry, sink, clock, lines, reports } = rig({ store: flaky, maxPendingMinutes: 3 });
    flaky.down = true;
    for (let minute = 0; minute < 6; minute += 1) {
      clock.set(T0 + minute * MINUTE);
      telemetry.emit(settledTurn({ at: T0 + minute * MINUTE }));
      await sink.flush();
    }
    expect(sink.heldMinutes).toBe(3);

    flaky.down = false;
    await sink.flush();

    const read = await inner.read(T0, T0 + 6 * MINUTE);
    // The first flush's minute was handed to the store and is retried; later minutes past the
    // bound were dropped oldest first.
    expect(read.map((minute) => (minute.start - T0) / MINUTE)).toEqual([0, 4, 5]);
    const total = (key: keyof FlushReport) => reports.reduce((sum, r) => sum + r[key], 0);
    expect(total('droppedMinutes')).toBe(3);
    expect(total('written')).toBe(3);
    expect(lines.filter((line) => line.level === 40).map((line) => line.msg)).toContain(
      'stats store unavailable too long: dropped the oldest minutes held',
    );
  });

  it('never lets a flush reject, and runs flushes one at a time', async () => {
    const store: StatsStore = {
      add: () => Promise.reject(new Error('boom')),
      read: () => Promise.resolve([]),
    };
    const { telemetry, sink } = rig({ store });
    telemetry.emit(settledTurn({ at: T0 }));
    await expect(Promise.all([sink.flush(), sink.flush(), sink.flush()])).resolves.toBeDefined();
    expect(sink.heldMinutes).toBe(1);
  });

  it('counts model and tool names past the per-minute cap under (other)', async () => {
    const { telemetry, reader } = rig();
    const tools = Array.from({ length: MAX_NAMES_PER_MINUTE + 10 }, (_, index) => ({
      name: `tool_${index}`,
      durationMs: 1,
    }));
    telemetry.emit(settledTurn({ at: T0, tools, calls: [{ target: 'p/first', durationMs: 1 }] }));
    telemetry.emit(settledTurn({ at: T0, calls: [{ target: 'p/late', durationMs: 1 }] }));

    const { figures } = await reader.window(MINUTE);

    // The model came first; 255 tools fit after it, the other 11 share (other).
    expect(Object.keys(figures.tools)).toHaveLength(MAX_NAMES_PER_MINUTE);
    expect(figures.tools['(other)']?.calls).toBe(11);
    expect(Object.keys(figures.models)).toEqual(['(other)', 'p/first']);
  });
});
