/** Counts of a binary classifier's outcomes against the labels. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/**
 * The summary every `rampart guard eval` command prints as its last line. Key names follow the
 * evaluation harness that reads them, hence `p50_us` rather than camel case.
 */
export interface EvalSummary extends Confusion {
  precision: number;
  recall: number;
  f1: number;
  /** False-positive rate: benign rows flagged, over all benign rows. */
  fpr: number;
  /** Median time of one check, in microseconds. */
  p50_us: number;
  p99_us: number;
}

/** Tallies predictions against labels, one row at a time. */
export class ConfusionCounter implements Confusion {
  tp = 0;
  fp = 0;
  tn = 0;
  fn = 0;

  add(predicted: boolean, actual: boolean): void {
    if (predicted && actual) this.tp++;
    else if (predicted) this.fp++;
    else if (actual) this.fn++;
    else this.tn++;
  }
}

/** A ratio that is 0, not NaN, when nothing was counted. */
function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

function round(value: number, digits = 4): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The value at quantile `q` (0..1) of `values` by the nearest-rank method; 0 for none. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

/** Precision, recall, F1 and FPR from the counts, with timing percentiles in microseconds. */
export function summarise(confusion: Confusion, timingsUs: readonly number[]): EvalSummary {
  const { tp, fp, tn, fn } = confusion;
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    precision: round(precision),
    recall: round(recall),
    f1: round(ratio(2 * precision * recall, precision + recall)),
    fpr: round(ratio(fp, fp + tn)),
    tp,
    fp,
    tn,
    fn,
    p50_us: round(percentile(timingsUs, 0.5), 1),
    p99_us: round(percentile(timingsUs, 0.99), 1),
  };
}

/** Runs `check` and returns its value with the time it took in microseconds. */
export function timed<T>(check: () => T): { value: T; micros: number } {
  const started = process.hrtime.bigint();
  const value = check();
  return { value, micros: Number(process.hrtime.bigint() - started) / 1_000 };
}
