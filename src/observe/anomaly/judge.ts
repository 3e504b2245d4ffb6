import type { SeriesConfig, ThresholdConfig } from '../../config/observe-anomaly-schema.js';
import type { Baseline } from './baseline.js';
import { MAD_SCALE } from './robust.js';

/**
 * What one evaluation says about one subject. `breach`: beyond the alerting line. `calm`:
 * back inside the clearing line. `hold`: in between (hysteresis: it neither opens nor clears).
 * `unknown`: too little volume or history to say.
 */
export type Verdict = 'breach' | 'hold' | 'calm' | 'unknown';

export interface AnomalyRule {
  deviations: number;
  clearDeviations: number;
  /** Floor of the MAD as a fraction of the median. */
  minMadRatio: number;
  series: Pick<SeriesConfig, 'direction' | 'minMad' | 'minRelativeChange'>;
}

export interface AnomalyJudgement {
  verdict: Verdict;
  /** Scaled MADs from the median, signed (positive above). */
  deviations: number;
}

/** Deviations are kept finite so they can be stored and shown. */
const MAX_DEVIATIONS = 1e6;

/** The current window's volume, and whether its value is a share of that volume. */
export interface Sample {
  volume: number;
  /** True for rates (errors per call, fallbacks per turn), whose noise the volume decides. */
  proportion: boolean;
}

/**
 * The sampling noise of a rate over `volume` trials, one standard deviation. The median is
 * pulled towards a success and a failure in two extra trials (Agresti-Coull's idea), so a
 * baseline of exactly zero errors still leaves room for the odd error at low volume.
 */
export function rateNoise(median: number, volume: number): number {
  if (volume <= 0) return 0;
  const rate = Math.min(1, Math.max(0, (median * volume + 1) / (volume + 2)));
  return Math.sqrt((rate * (1 - rate)) / volume);
}

/**
 * The spread a departure is measured in: the scaled MAD, but never below the configured floor
 * nor a fraction of the median, so a baseline that happened to be flat does not turn every
 * wobble into dozens of deviations; for a rate, never below the noise of the current window's
 * volume either (two errors in thirty calls is not a departure from a night of none).
 */
export function spread(baseline: Baseline, rule: AnomalyRule, sample: Sample): number {
  const floor = Math.max(rule.series.minMad, rule.minMadRatio * Math.abs(baseline.median));
  const scaled = MAD_SCALE * Math.max(baseline.mad, floor);
  if (!sample.proportion) return scaled;
  return Math.max(scaled, rateNoise(baseline.median, sample.volume));
}

function signedDeviations(value: number, baseline: Baseline, rule: AnomalyRule, sample: Sample) {
  const difference = value - baseline.median;
  const scale = spread(baseline, rule, sample);
  if (scale === 0) return difference === 0 ? 0 : Math.sign(difference) * MAX_DEVIATIONS;
  return Math.max(-MAX_DEVIATIONS, Math.min(MAX_DEVIATIONS, difference / scale));
}

/**
 * Compares a value with its baseline. It breaches when it stands more than `deviations` scaled
 * MADs away in the watched direction and has moved by at least `minRelativeChange` of the
 * median; it is calm once within `clearDeviations`, or once the move has shrunk below half the
 * relative minimum.
 */
export function judgeAnomaly(value: number, baseline: Baseline, rule: AnomalyRule, sample: Sample) {
  const deviations = signedDeviations(value, baseline, rule, sample);
  const { direction, minRelativeChange } = rule.series;
  let away = Math.abs(deviations);
  if (direction === 'above') away = deviations;
  if (direction === 'below') away = -deviations;
  const change = Math.abs(value - baseline.median);
  const needed = minRelativeChange * Math.abs(baseline.median);
  let verdict: Verdict = 'hold';
  if (away > rule.deviations && change >= needed) verdict = 'breach';
  else if (away <= rule.clearDeviations || change < needed / 2) verdict = 'calm';
  return { verdict, deviations } satisfies AnomalyJudgement;
}

/** A hard limit: beyond `value` breaches, back past `clearValue` (default the same) is calm. */
export function judgeThreshold(value: number, rule: ThresholdConfig): Verdict {
  const clearAt = rule.clearValue ?? rule.value;
  if (rule.direction === 'above') {
    if (value > rule.value) return 'breach';
    return value <= clearAt ? 'calm' : 'hold';
  }
  if (value < rule.value) return 'breach';
  return value >= clearAt ? 'calm' : 'hold';
}
