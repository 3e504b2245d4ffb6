import { checkRange, checkRetention, checkWrite, firstLiveStart, hourOf } from '../stats-rules.js';
import type { StatsRollup, StatsStore, StatsUnit, StatsWrite } from '../stats-types.js';

export interface MemoryStatsStoreOptions {
  /** How long a minute (or hour) is kept after it starts. */
  retentionMs: number;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

interface Rollup {
  counters: Map<string, number>;
  maxima: Map<string, number>;
  buckets: Map<string, Map<number, number>>;
  instances: Set<string>;
}

function addTo<K>(target: Map<K, number>, key: K, value: number): void {
  target.set(key, (target.get(key) ?? 0) + value);
}

function emptyRollup(): Rollup {
  return {
    counters: new Map<string, number>(),
    maxima: new Map<string, number>(),
    buckets: new Map<string, Map<number, number>>(),
    instances: new Set<string>(),
  };
}

function merge(rollup: Rollup, write: StatsWrite): void {
  rollup.instances.add(write.instance);
  for (const [name, value] of write.counters) addTo(rollup.counters, name, value);
  for (const [name, value] of write.maxima) {
    rollup.maxima.set(name, Math.max(rollup.maxima.get(name) ?? value, value));
  }
  for (const [series, counts] of write.buckets) {
    const target = rollup.buckets.get(series) ?? new Map<number, number>();
    rollup.buckets.set(series, target);
    for (const [value, count] of counts) addTo(target, value, count);
  }
}

/**
 * Rollups in this process: for tests and for an instance that keeps no stats across restarts.
 * Rollups past retention are dropped on the next write.
 */
export class MemoryStatsStore implements StatsStore {
  private readonly rollups: Record<StatsUnit, Map<number, Rollup>> = {
    minute: new Map(),
    hour: new Map(),
  };
  /** Write ids applied, by minute, so a retried write counts once. */
  private readonly applied = new Map<number, Set<string>>();
  private readonly retentionMs: number;
  private readonly now: () => number;

  constructor(options: MemoryStatsStoreOptions) {
    checkRetention(options.retentionMs);
    this.retentionMs = options.retentionMs;
    this.now = options.now ?? Date.now;
  }

  add(write: StatsWrite): Promise<void> {
    return new Promise((resolve) => {
      checkWrite(write);
      this.purge();
      const { minute } = write;
      const applied = this.applied.get(minute) ?? new Set<string>();
      if (minute < this.live('minute') || applied.has(write.id)) return resolve();
      this.applied.set(minute, applied.add(write.id));
      merge(this.rollupAt('minute', minute), write);
      if (hourOf(minute) >= this.live('hour')) merge(this.rollupAt('hour', hourOf(minute)), write);
      resolve();
    });
  }

  read(from: number, to: number, unit: StatsUnit = 'minute'): Promise<StatsRollup[]> {
    return new Promise((resolve) => {
      checkRange(from, to, unit);
      const start = Math.max(from, this.live(unit));
      const found = [...this.rollups[unit].entries()]
        .filter(([at]) => at >= start && at < to)
        .sort(([a], [b]) => a - b)
        .map(([at, rollup]) => snapshot(at, rollup));
      resolve(found);
    });
  }

  private live(unit: StatsUnit): number {
    return firstLiveStart(this.now(), this.retentionMs, unit);
  }

  private rollupAt(unit: StatsUnit, start: number): Rollup {
    const rollup = this.rollups[unit].get(start) ?? emptyRollup();
    this.rollups[unit].set(start, rollup);
    return rollup;
  }

  private purge(): void {
    for (const unit of ['minute', 'hour'] as const) {
      const live = this.live(unit);
      for (const start of this.rollups[unit].keys()) {
        if (start < live) this.rollups[unit].delete(start);
      }
    }
    const live = this.live('minute');
    for (const minute of this.applied.keys()) if (minute < live) this.applied.delete(minute);
  }
}

/** A copy, so a caller holding a read never sees later writes. */
function snapshot(start: number, rollup: Rollup): StatsRollup {
  return {
    start,
    counters: new Map(rollup.counters),
    maxima: new Map(rollup.maxima),
    buckets: new Map([...rollup.buckets].map(([series, counts]) => [series, new Map(counts)])),
    instances: [...rollup.instances].sort(),
  };
}
