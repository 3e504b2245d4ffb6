import { Int32Histogram } from 'hdr-histogram-js';
import type { BucketCounts } from '../../store/index.js';

/**
 * How durations are kept: HdrHistogram buckets with 2 significant decimal digits over whole
 * microseconds. Values below 256 µs have a bucket each; above, a bucket spans at most 1/128 of
 * its values (2 µs from 256 µs, 4 µs from 512 µs, ...). A percentile is the exact nearest-rank
 * percentile of the recorded values, reported as the top of its bucket (and never above the exact
 * maximum): at most 1/128 (0.78 %) above the true value, never below it, after rounding each
 * duration to the microsecond.
 *
 * Why 2 digits and not 3: at 3 a busy instance's model calls each fall in a bucket of their own
 * (about 4,400 per series in one 10 s flush at 490 calls a second), and every bucket is a row to
 * write at each flush and to read for each window. 2 digits cap a series at a few hundred buckets
 * a minute (docs/decisions/0011-stats-rollups.md).
 */
export const SIGNIFICANT_DIGITS = 2;

/** How far above the exact value a reported percentile can be, as a share of it. */
export const MAX_RELATIVE_ERROR = 1 / 128;

/** The smallest step a reported duration can take, in milliseconds (one microsecond). */
export const RESOLUTION_MS = 0.001;

/** Longest duration recorded as itself; a longer one (a clock gone wrong) counts as a day. */
export const MAX_MICROS = 24 * 3_600_000 * 1_000;

// The bucket layout is arithmetic on the value alone, so one histogram's methods serve every
// series; its counts are never used. Buckets are kept sparse instead (see docs/decisions).
const layout = new Int32Histogram(1, 2, SIGNIFICANT_DIGITS);

/** A duration in milliseconds as the whole microseconds recorded, within [0, MAX_MICROS]. */
export function toMicros(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) return 0;
  return Math.min(Math.round(ms * 1_000), MAX_MICROS);
}

/** The bucket a value (µs) falls in, named by its lowest value. */
export function bucketOf(micros: number): number {
  return layout.lowestEquivalentValue(micros);
}

/** The highest value (µs) of the bucket named `bucket`. */
function bucketTop(bucket: number): number {
  return layout.highestEquivalentValue(bucket);
}

/** Distance to the next double, as HdrHistogram uses to forgive rounding in a rank. */
function ulp(value: number): number {
  return 2 ** (Math.floor(Math.log2(value)) - 52);
}

/** Percentiles of a series, in microseconds. */
export interface Percentiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/**
 * p50, p95 and p99 of bucket counts, by HdrHistogram's own rule (`getValueAtPercentile`): the
 * value at rank ceil(p/100 × count), as the top of its bucket, capped at the exact `max` when it
 * is known. Undefined for an empty series.
 */
export function percentilesOf(counts: BucketCounts, max?: number): Percentiles | undefined {
  const sorted = [...counts].filter(([, count]) => count > 0).sort(([a], [b]) => a - b);
  const total = sorted.reduce((sum, [, count]) => sum + count, 0);
  if (total === 0) return undefined;
  const top = max ?? bucketTop(sorted.at(-1)![0]);
  const at = (percentile: number) => {
    const wanted = (percentile / 100) * total;
    const rank = Math.max(Math.ceil(wanted - ulp(wanted)), 1);
    let seen = 0;
    for (const [bucket, count] of sorted) {
      seen += count;
      if (seen >= rank) return Math.min(bucketTop(bucket), top);
    }
    return top;
  };
  return { count: total, p50: at(50), p95: at(95), p99: at(99), max: top };
}
