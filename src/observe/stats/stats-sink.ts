import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../../core/logger.js';
import { OutageLog } from '../../core/outage-log.js';
import { MINUTE_MS, type StatsStore, type StatsWrite } from '../../store/index.js';
import type { TelemetryEvent, TelemetrySink } from '../telemetry.js';
import { recordEvent } from './record-event.js';
import { Rollup } from './rollup.js';

export interface StatsSinkOptions {
  store: StatsStore;
  /** This instance's id, counted in `instances`. */
  instance: string;
  /** Minutes older than this are not written (the store would drop them). */
  retentionMs: number;
  /**
   * Most minutes held while the store cannot be written; past it the oldest are dropped, so an
   * outage costs bounded memory.
   */
  maxPendingMinutes: number;
  /** Wall clock, for the minute an idle instance reports itself in. */
  now: () => number;
  logger: Logger;
  /** Told after each flush what it wrote, what failed and what was given up, when any. */
  report?: (flush: FlushReport) => void;
}

/** What one flush did: the figures behind the stats store's own metrics. */
export interface FlushReport {
  written: number;
  failed: number;
  droppedMinutes: number;
}

/** Bucket counts per write; see `#writesOf`. */
export const MAX_BUCKETS_PER_WRITE = 500;

const minuteOf = (at: number) => at - (((at % MINUTE_MS) + MINUTE_MS) % MINUTE_MS);

/**
 * Accumulates the current minutes' observations in process and writes them to the stats store on
 * `flush`. Recording is a few map updates and never touches the store, so nothing a store does
 * can slow or fail a turn. A write that fails is kept with its id and sent again first on the
 * next flush (the store applies an id once); meanwhile new observations keep accumulating by
 * minute, up to `maxPendingMinutes`.
 */
export class StatsSink implements TelemetrySink {
  readonly name = 'stats';
  readonly #options: StatsSinkOptions;
  /** Minutes not yet handed to the store, by start. */
  readonly #pending = new Map<number, Rollup>();
  /** Writes made from pending minutes that the store has not confirmed, oldest first. */
  #unsent: StatsWrite[] = [];
  #lastReported = -1;
  #chain: Promise<void> = Promise.resolve();
  /** The flush asked for and not started yet, which later calls share. */
  #queued: Promise<void> | undefined;
  readonly #outage: OutageLog;
  #writes = 0;
  /** This flush's figures, reported when it ends. */
  #flushed: FlushReport = { written: 0, failed: 0, droppedMinutes: 0 };

  constructor(options: StatsSinkOptions) {
    this.#options = options;
    this.#outage = new OutageLog({
      logger: options.logger,
      what: 'stats store writes',
      now: options.now,
    });
  }

  handle(event: TelemetryEvent): void {
    // Only what a minute records opens one: an event it ignores (a flush's own report above all,
    // which would otherwise make every flush leave a minute for the next) must not.
    recordEvent(() => this.#rollupAt(minuteOf(event.at)), event);
  }

  /** Minutes held in memory: not yet written, or waiting for the store to come back. */
  get heldMinutes(): number {
    return this.#pending.size + new Set(this.#unsent.map((write) => write.minute)).size;
  }

  /**
   * Writes what has accumulated. Flushes run one at a time; the promise resolves once a flush
   * that started after this call has run, and never rejects (a failure is logged and retried
   * next time). Calls made while a flush waits to start share it: it writes what they recorded
   * too. Without that, a store slow to fail (a Redis that hangs until the command timeout)
   * would meet readers and timer ticks queueing flushes faster than each one ends, and every
   * read would wait longer than the one before.
   */
  flush(): Promise<void> {
    if (this.#queued !== undefined) return this.#queued;
    const run = this.#chain.then(() => {
      this.#queued = undefined;
      return this.#flushOnce();
    });
    this.#chain = run.catch((error: unknown) => {
      this.#options.logger.error({ err: error }, 'stats flush failed unexpectedly');
    });
    this.#queued = this.#chain;
    return this.#chain;
  }

  async #flushOnce(): Promise<void> {
    this.#flushed = { written: 0, failed: 0, droppedMinutes: 0 };
    try {
      await this.#write();
    } finally {
      const flushed = this.#flushed;
      if (flushed.written + flushed.failed + flushed.droppedMinutes > 0) {
        this.#options.report?.(flushed);
      }
    }
  }

  async #write(): Promise<void> {
    this.#reportPresence();
    this.#dropExpired();
    if (!(await this.#sendUnsent())) return this.#bound();
    this.#unsent = [...this.#pending.entries()]
      .sort(([a], [b]) => a - b)
      .flatMap(([minute, rollup]) => this.#writesOf(minute, rollup));
    this.#pending.clear();
    await this.#sendUnsent();
  }

  /** Sends held writes in order; false when the store failed (the rest stay held). */
  async #sendUnsent(): Promise<boolean> {
    while (this.#unsent.length > 0) {
      try {
        await this.#options.store.add(this.#unsent[0]!);
      } catch (error) {
        this.#flushed.failed += 1;
        this.#reportFailure(error);
        return false;
      }
      this.#flushed.written += 1;
      this.#unsent.shift();
    }
    this.#outage.succeeded();
    return true;
  }

  #rollupAt(minute: number): Rollup {
    let rollup = this.#pending.get(minute);
    if (!rollup) {
      rollup = new Rollup();
      this.#pending.set(minute, rollup);
    }
    return rollup;
  }

  /** Once a minute an instance writes even with nothing to say, so it counts as reporting. */
  #reportPresence(): void {
    const minute = minuteOf(this.#options.now());
    if (minute === this.#lastReported) return;
    this.#lastReported = minute;
    this.#rollupAt(minute);
  }

  /**
   * One minute as writes of at most MAX_BUCKETS_PER_WRITE buckets each, the counters and maxima
   * with the first: a write is one atomic step in the store (one Redis script), and a busy
   * minute in one step would hold Redis up for every other instance meanwhile.
   */
  #writesOf(minute: number, rollup: Rollup): StatsWrite[] {
    const chunks = [new Map<string, Map<number, number>>()];
    let room = MAX_BUCKETS_PER_WRITE;
    for (const [series, counts] of rollup.buckets) {
      for (const [bucket, count] of counts) {
        if (room === 0) {
          chunks.push(new Map<string, Map<number, number>>());
          room = MAX_BUCKETS_PER_WRITE;
        }
        const chunk = chunks.at(-1)!;
        const target = chunk.get(series) ?? new Map<number, number>();
        chunk.set(series, target.set(bucket, count));
        room -= 1;
      }
    }
    return chunks.map((buckets, index) => ({
      id: this.#nextId(),
      instance: this.#options.instance,
      minute,
      counters: index === 0 ? rollup.counters : new Map(),
      maxima: index === 0 ? rollup.maxima : new Map(),
      buckets,
    }));
  }

  #nextId(): string {
    this.#writes += 1;
    return `${this.#options.instance}:${this.#writes}:${randomBytes(4).toString('hex')}`;
  }

  #dropExpired(): void {
    const oldest = minuteOf(this.#options.now() - this.#options.retentionMs) + MINUTE_MS;
    const dropped = new Set<number>();
    for (const minute of this.#pending.keys()) {
      if (minute >= oldest) continue;
      this.#pending.delete(minute);
      dropped.add(minute);
    }
    this.#unsent = this.#unsent.filter((write) => {
      if (write.minute < oldest) dropped.add(write.minute);
      return write.minute >= oldest;
    });
    this.#flushed.droppedMinutes += dropped.size;
  }

  /** Keeps at most `maxPendingMinutes` minutes, dropping the oldest pending ones. */
  #bound(): void {
    const excess = this.heldMinutes - this.#options.maxPendingMinutes;
    if (excess <= 0) return;
    const oldest = [...this.#pending.keys()].sort((a, b) => a - b).slice(0, excess);
    for (const minute of oldest) this.#pending.delete(minute);
    this.#flushed.droppedMinutes += oldest.length;
    this.#options.logger.warn(
      { droppedMinutes: oldest.map((minute) => new Date(minute).toISOString()) },
      'stats store unavailable too long: dropped the oldest minutes held',
    );
  }

  #reportFailure(error: unknown): void {
    // The held minutes are sent again at the next flush, oldest first.
    this.#outage.failed(error, { heldMinutes: this.heldMinutes });
  }
}

/** An id for this process: the host and pid for people, and random bytes against reuse. */
export function instanceId(): string {
  const host =
    hostname()
      .replace(/[^\x21-\x7e]/g, '')
      .slice(0, 64) || 'host';
  return `${host}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
