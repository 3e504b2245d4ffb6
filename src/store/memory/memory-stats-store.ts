import { checkRange, checkRetention, checkWrite, firstLiveMinute } from '../stats-rules.js';
import type { StatsMinute, StatsStore, StatsWrite } from '../stats-types.js';

export interface MemoryStatsStoreOptions {
  /** How long a minute is kept after it starts. */
  retentionMs: number;
  /** Milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
}

interface Minute {
  counters: Map<string, number>;
  maxima: Map<string, number>;
  buckets: Map<string, Map<number, number>>;
  instances: Set<string>;
  /** Write ids applied, so a retried write counts once. */
  applied: Set<string>;
}

function addTo<K>(target: Map<K, number>, key: K, value: number): void {
  target.set(key, (target.get(key) ?? 0) + value);
}

/**
 * Rollups in this process: for tests and for an instance that keeps no stats across restarts.
 * Minutes past retention are dropped on the next write.
 */
export class MemoryStatsStore implements StatsStore {
  private readonly minutes = new Map<number, Minute>();
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
      const live = firstLiveMinute(this.now(), this.retentionMs);
      for (const minute of this.minutes.keys()) if (minute < live) this.minutes.delete(minute);
      if (write.minute >= live) this.merge(write);
      resolve();
    });
  }

  read(from: number, to: number): Promise<StatsMinute[]> {
    return new Promise((resolve) => {
      checkRange(from, to);
      const start = Math.max(from, firstLiveMinute(this.now(), this.retentionMs));
      const found = [...this.minutes.entries()]
        .filter(([minute]) => minute >= start && minute < to)
        .sort(([a], [b]) => a - b)
        .map(([minute, data]) => snapshot(minute, data));
      resolve(found);
    });
  }

  private merge(write: StatsWrite): void {
    const minute: Minute = this.minutes.get(write.minute) ?? {
      counters: new Map<string, number>(),
      maxima: new Map<string, number>(),
      buckets: new Map<string, Map<number, number>>(),
      instances: new Set<string>(),
      applied: new Set<string>(),
    };
    this.minutes.set(write.minute, minute);
    if (minute.applied.has(write.id)) return;
    minute.applied.add(write.id);
    minute.instances.add(write.instance);
    for (const [name, value] of write.counters) addTo(minute.counters, name, value);
    for (const [name, value] of write.maxima) {
      minute.maxima.set(name, Math.max(minute.maxima.get(name) ?? value, value));
    }
    for (const [series, counts] of write.buckets) {
      const target = minute.buckets.get(series) ?? new Map<number, number>();
      minute.buckets.set(series, target);
      for (const [value, count] of counts) addTo(target, value, count);
    }
  }
}

/** A copy, so a caller holding a read never sees later writes. */
function snapshot(minute: number, data: Minute): StatsMinute {
  return {
    minute,
    counters: new Map(data.counters),
    maxima: new Map(data.maxima),
    buckets: new Map([...data.buckets].map(([series, counts]) => [series, new Map(counts)])),
    instances: [...data.instances].sort(),
  };
}
