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

/** One minute as every write to it adds up. */
export interface StatsMinute {
  minute: number;
  counters: ReadonlyMap<string, number>;
  maxima: ReadonlyMap<string, number>;
  buckets: ReadonlyMap<string, BucketCounts>;
  /** Instances that wrote to the minute. */
  instances: readonly string[];
}

/**
 * The rollup store. A minute is kept while `now < minute + retentionMs` (the retention the
 * backend was opened with) and is gone afterwards, in reads at once and in storage soon after.
 */
export interface StatsStore {
  /**
   * Merges one write into its minute, atomically: readers see all of it or none of it. A write
   * whose id the minute has already applied changes nothing; a minute already past retention
   * is not written.
   */
  add(write: StatsWrite): Promise<void>;
  /** Minutes that have data, whose start is in `[from, to)`, oldest first. */
  read(from: number, to: number): Promise<StatsMinute[]>;
}
