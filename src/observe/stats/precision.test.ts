import fc from 'fast-check';
import { build, Int32Histogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import {
  MAX_MICROS,
  MAX_RELATIVE_ERROR,
  percentilesOf,
  SIGNIFICANT_DIGITS,
  toMicros,
  type Percentiles,
} from './precision.js';
import { Rollup } from './rollup.js';

/** What hdr-histogram-js itself reports for all the values in one histogram. */
function libraryPercentiles(values: readonly number[]) {
  const histogram = build({ numberOfSignificantValueDigits: SIGNIFICANT_DIGITS });
  for (const value of values) histogram.recordValue(value);
  const max = Math.max(...values);
  const at = (percentile: number) => Math.min(histogram.getValueAtPercentile(percentile), max);
  return { count: values.length, p50: at(50), p95: at(95), p99: at(99), max };
}

/** The exact nearest-rank percentile of the values. */
function exact(values: readonly number[], percentile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(Math.ceil((percentile / 100) * sorted.length), 1) - 1]!;
}

/** Each reported percentile is the exact one, or above it by at most the stated share. */
function expectWithinPrecision(reported: Percentiles, values: readonly number[]) {
  for (const [key, percentile] of [
    ['p50', 50],
    ['p95', 95],
    ['p99', 99],
  ] as const) {
    const truth = exact(values, percentile);
    expect(reported[key]).toBeGreaterThanOrEqual(truth);
    expect(reported[key] - truth).toBeLessThanOrEqual(truth * MAX_RELATIVE_ERROR);
  }
}

const SERIES = 'model:x:duration';

/** Values spread over the instances as `owners` says, each instance a rollup, then merged. */
function mergedPercentiles(
  values: readonly number[],
  owners: readonly number[],
  instances: number,
) {
  const rollups = Array.from({ length: instances }, () => new Rollup());
  values.forEach((value, index) =>
    rollups[(owners[index] ?? 0) % instances]!.observe(SERIES, value),
  );
  const merged = new Rollup();
  for (const rollup of rollups) merged.merge(rollup);
  return percentilesOf(merged.buckets.get(SERIES)!, merged.maxima.get(SERIES));
}

const durations = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 3_000 }),
    fc.integer({ min: 0, max: 5_000_000 }),
    fc.integer({ min: 0, max: MAX_MICROS }),
  ),
  { minLength: 1, maxLength: 400 },
);

describe('percentiles of merged rollups', () => {
  it('equal those of one histogram of every value, however the values were split', () => {
    fc.assert(
      fc.property(
        durations.chain((values) =>
          fc.tuple(
            fc.constant(values),
            fc.array(fc.nat(), { minLength: values.length, maxLength: values.length }),
            fc.integer({ min: 1, max: 4 }),
          ),
        ),
        ([values, owners, instances]) => {
          expect(mergedPercentiles(values, owners, instances)).toEqual(libraryPercentiles(values));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('stay within the stated precision of the exact percentile, never below it', () => {
    fc.assert(
      fc.property(durations, (values) => {
        const reported = mergedPercentiles(values, [], 1)!;
        expectWithinPrecision(reported, values);
        expect(reported.max).toBe(Math.max(...values));
      }),
      { numRuns: 300 },
    );
  });

  it('reports small durations exactly and large ones to 1/128', () => {
    const small = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(mergedPercentiles(small, [], 1)).toEqual({
      count: 100,
      p50: 50,
      p95: 95,
      p99: 99,
      max: 100,
    });

    // 1 ms to 1000 ms: the 500th value is 500 000 µs, in the bucket 499 712..501 759.
    const large = Array.from({ length: 1_000 }, (_, index) => (index + 1) * 1_000);
    expect(mergedPercentiles(large, [], 1)).toEqual({
      count: 1_000,
      p50: 501_759,
      p95: 950_271,
      p99: 991_231,
      max: 1_000_000,
    });
  });

  it('keep the stated precision over minutes stored with the earlier 3-digit buckets', () => {
    const earlier = new Int32Histogram(1, 2, 3);
    fc.assert(
      fc.property(durations, (values) => {
        const counts = new Map<number, number>();
        for (const value of values) {
          const bucket = earlier.lowestEquivalentValue(value);
          counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
        }
        const reported = percentilesOf(counts, Math.max(...values))!;
        expectWithinPrecision(reported, values);
      }),
      { numRuns: 300 },
    );
  });

  it('has no percentiles for an empty series', () => {
    expect(percentilesOf(new Map())).toBeUndefined();
    expect(percentilesOf(new Map([[5, 0]]))).toBeUndefined();
  });
});

describe('toMicros', () => {
  it('rounds to the microsecond and keeps values within [0, a day]', () => {
    expect(toMicros(12.3456)).toBe(12_346);
    expect(toMicros(0.0004)).toBe(0);
    expect(toMicros(-5)).toBe(0);
    expect(toMicros(Number.NaN)).toBe(0);
    expect(toMicros(Number.POSITIVE_INFINITY)).toBe(0);
    expect(toMicros(10 * 24 * 3_600_000)).toBe(MAX_MICROS);
  });
});
