/**
 * Median and MAD: a centre and a spread that a few wild values cannot drag, unlike the mean and
 * standard deviation. Half the samples would have to be outliers to move them without bound.
 */

/** Multiplying a MAD by this estimates the standard deviation of normally distributed data. */
export const MAD_SCALE = 1.4826;

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('the median of no values is undefined');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[middle]!;
  return (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median absolute deviation from `centre` (by default the median itself). */
export function medianAbsoluteDeviation(values: readonly number[], centre = median(values)) {
  return median(values.map((value) => Math.abs(value - centre)));
}
