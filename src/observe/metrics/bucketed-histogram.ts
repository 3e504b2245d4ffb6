import type { LabelValues, Metric, Registry } from 'prom-client';
import type { Batching } from './batched.js';
import { checkNames, LabelSets } from './label-sets.js';

/** A Prometheus histogram counted in process: see {@link bucketedHistogram}. */
export interface BucketedHistogram<T extends string> {
  observe(labels: LabelValues<T>, value: number): void;
  observe(value: number): void;
}

export interface BucketedHistogramConfig<T extends string> extends Batching {
  name: string;
  help: string;
  labelNames?: readonly T[];
  /** Upper bounds (`le`), ascending; `+Inf` is implied. */
  buckets: readonly number[];
  registers: Registry[];
}

interface Series<T extends string> {
  labels: LabelValues<T>;
  /** Observations per bucket (not cumulative), the last one past every bound. */
  counts: number[];
  sum: number;
  count: number;
}

/** One sample as prom-client's registry formats it. */
interface Sample {
  metricName: string;
  labels: LabelValues<string>;
  value: number;
}

function checkBounds(name: string, buckets: readonly number[]) {
  for (let index = 0; index < buckets.length; index++) {
    const bound = buckets[index] as number;
    if (!Number.isFinite(bound) || (index > 0 && bound <= (buckets[index - 1] as number))) {
      throw new TypeError(`${name}: buckets must be finite and ascending`);
    }
  }
}

/**
 * A histogram whose observations are counted into their bucket as they come, and shown to
 * prom-client's registry as the samples a prom-client `Histogram` would give (`_bucket` by `le`,
 * cumulative, then `_sum` and `_count`). Why not prom-client's `Histogram`: it keeps no more
 * than this, but reaches it through a label check, a string key and an object lookup per
 * observation; holding values for it and replaying them at the scrape (the way counters are fed,
 * `batched.ts`) still cost a sixth of the metrics' per-turn work. Here an observation is a label
 * set lookup and a scan of at most 15 bounds. prom-client keeps the registry and the text format.
 */
export function bucketedHistogram<T extends string>(
  config: BucketedHistogramConfig<T>,
): BucketedHistogram<T> {
  const { name, help, buckets, beforeRead } = config;
  checkBounds(name, buckets);
  const names = config.labelNames ?? [];
  // As prom-client: `le` names the bucket in every sample.
  if (names.includes('le' as T)) throw new TypeError(`${name}: le is a reserved label name`);
  const declared = new Set<string>(names);
  const sets = new LabelSets<T, Series<T>>(names);
  const bounds = [...buckets];
  const open = (labels: LabelValues<T>): Series<T> => ({
    labels: { ...labels },
    counts: new Array<number>(bounds.length + 1).fill(0),
    sum: 0,
    count: 0,
  });
  // As prom-client does, a series without labels shows (at zero) before its first observation.
  if (names.length === 0) sets.entry({}, () => open({}));

  function observe(labelsOrValue: LabelValues<T> | number, value?: number): void {
    const labels = typeof labelsOrValue === 'object' ? labelsOrValue : ({} as LabelValues<T>);
    const observed = typeof labelsOrValue === 'number' ? labelsOrValue : value;
    // prom-client refuses the same: a NaN or an infinity would poison `_sum` for good.
    if (observed === undefined || !Number.isFinite(observed)) {
      throw new TypeError(`${name}: cannot observe ${observed}`);
    }
    checkNames(name, declared, labels);
    const series = sets.entry(labels, () => open(labels));
    let bucket = 0;
    while (bucket < bounds.length && observed > (bounds[bucket] as number)) bucket++;
    series.counts[bucket] = (series.counts[bucket] as number) + 1;
    series.sum += observed;
    series.count += 1;
  }

  function samples(): Sample[] {
    const out: Sample[] = [];
    for (const series of sets.entries) {
      let cumulative = 0;
      for (let index = 0; index < bounds.length; index++) {
        cumulative += series.counts[index] as number;
        const labels = { le: bounds[index] as number, ...series.labels };
        out.push({ metricName: `${name}_bucket`, labels, value: cumulative });
      }
      const all = { le: '+Inf', ...series.labels };
      out.push({ metricName: `${name}_bucket`, labels: all, value: series.count });
      out.push({ metricName: `${name}_sum`, labels: { ...series.labels }, value: series.sum });
      out.push({ metricName: `${name}_count`, labels: { ...series.labels }, value: series.count });
    }
    return out;
  }

  // The registry reads a metric through `get()` (and `reset()` when asked to); it is typed for
  // prom-client's own classes only, hence the cast.
  const metric = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    get() {
      beforeRead?.();
      return Promise.resolve({
        name,
        help,
        type: 'histogram',
        aggregator: 'sum',
        values: samples(),
      });
    },
    // As prom-client's: every series is gone, even the one without labels.
    reset() {
      sets.clear();
    },
  };
  for (const registry of config.registers) registry.registerMetric(metric as unknown as Metric);
  return { observe };
}
