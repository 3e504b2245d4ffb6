/**
 * Per-minute rollups of what the instances observed: counters that add, maxima that keep the
 * largest, and sparse histogram bucket counts that add. Every operation merges, so any number of
 * instances and flushes per minute combine exactly, in any order. The store knows nothing of
 * what the names mean: the stats module (src/observe/stats) names and reads them.
 */

/** Sparse histogram: the lowest value of each non-empty bucket → how many values fell in it. */
export type BucketCounts = ReadonlyMap<number, number>;

/** What one instance adds to one minute, in one flush. */
export interface StatsWrite {
  /**
   * Unique per write and kept when the write is retried: a minute applies a given id once, so a
   * retry after a lost reply does not count twice.
   */
  id: string;
  /** The instance that observed it; counted in `instances` of the minute. */
  instance: string;
  /** Start of the minute, milliseconds since the epoch (a multiple of 60 000). */
  minute: number;
  /** Added to the minute's counters of the same name. */
  counters: ReadonlyMap<string, number>;
  /** Each replaces the minute's value of the same name when larger. */
  maxima: ReadonlyMap<string, number>;
  /** By series: each bucket's count is added to the minute's count of that bucket. */
  buckets: ReadonlyMap<string, BucketCounts>;
}

/**
 * Rollups come in two sizes: every write goes to its minute and to the hour that holds it, so a
 * long window reads hours instead of sixty times as many minutes.
 */
export type StatsUnit = 'minute' | 'hour';

/** One minute, or one hour, as every write to it adds up. */
export interface StatsRollup {
  /** Start of the minute or hour, milliseconds since the epoch. */
  start: number;
  counters: ReadonlyMap<string, number>;
  maxima: ReadonlyMap<string, number>;
  buckets: ReadonlyMap<string, BucketCounts>;
  /** Instances that wrote to it, sorted. */
  instances: readonly string[];
}

/**
 * The rollup store. A minute or an hour is kept while `now < start + retentionMs` (the retention
 * the backend was opened with) and is gone afterwards, in reads at once and in storage soon
 * after. An hour's last minutes thus outlive it: read hours only where they lie wholly inside a
 * window no longer than the retention.
 */
export interface StatsStore {
  /**
   * Merges one write into its minute and its hour, atomically: readers see all of it or none of
   * it. A write whose id the minute has already applied changes nothing; nothing already past
   * retention is written.
   */
  add(write: StatsWrite): Promise<void>;
  /** Minutes (or hours) that have data, whose start is in `[from, to)`, oldest first. */
  read(from: number, to: number, unit?: StatsUnit): Promise<StatsRollup[]>;
}
