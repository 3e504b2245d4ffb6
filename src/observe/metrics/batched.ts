import {
  Counter,
  Histogram,
  type CounterConfiguration,
  type HistogramConfiguration,
  type LabelValues,
} from 'prom-client';

/**
 * Histogram values held before they are handed to prom-client at once. Bounds the memory of an
 * instance nobody scrapes; at ~1,000 turns a second it drains every few hundred milliseconds.
 */
export const MAX_HELD_OBSERVATIONS = 1_024;

/**
 * The key of a label set: each declared label's value, length-prefixed so no value can run into
 * the next, and an absent label kept apart from an empty one, as prom-client keeps them.
 */
function keyOf<T extends string>(names: readonly T[], labels: LabelValues<T>): string {
  let key = '';
  for (const name of names) {
    const value = labels[name];
    key += value === undefined ? '-' : `${String(value).length}:${value}`;
  }
  return key;
}

/**
 * Refuses a label the series does not declare, at the call, as prom-client does: held, it would
 * only fail later, at every scrape.
 */
function checkNames<T extends string>(
  metric: string,
  declared: ReadonlySet<string>,
  labels: LabelValues<T>,
) {
  for (const name in labels) {
    if (!declared.has(name)) throw new TypeError(`${metric}: no label named ${name}`);
  }
}

/**
 * A counter recorded in process and handed to prom-client when the registry is read. Why: every
 * prom-client update validates and hashes its label object, which at a dozen series per turn
 * made metrics a visible part of a turn's CPU; here a turn pays one map update per series, and
 * prom-client does its work once per label set per scrape. A scrape (anything that reads the
 * registry) sees every increment made before it.
 */
export interface BatchedCounter<T extends string> {
  inc(labels: LabelValues<T>, value?: number): void;
  inc(value?: number): void;
  /** The prom-client counter behind it, for reading in tests. */
  readonly counter: Counter<T>;
}

export function batchedCounter<T extends string>(
  config: Omit<CounterConfiguration<T>, 'collect'>,
): BatchedCounter<T> {
  const names = config.labelNames ?? [];
  const declared = new Set<string>(names);
  /** `shown`: handed over once, so the series exists even while its amount stays 0. */
  const held = new Map<string, { labels: LabelValues<T>; value: number; shown: boolean }>();
  const counter = new Counter<T>({
    ...config,
    collect() {
      for (const entry of held.values()) {
        if (entry.value === 0 && entry.shown) continue;
        const value = entry.value;
        entry.value = 0;
        entry.shown = true;
        this.inc(entry.labels, value);
      }
    },
  });
  function inc(labelsOrValue?: LabelValues<T> | number, value?: number): void {
    const labels = typeof labelsOrValue === 'object' ? labelsOrValue : ({} as LabelValues<T>);
    const amount = (typeof labelsOrValue === 'number' ? labelsOrValue : value) ?? 1;
    // Refused here rather than at the scrape. prom-client itself refuses a negative amount and
    // would add a NaN, which would then show as the series' value for good.
    if (!(amount >= 0) || !Number.isFinite(amount)) {
      throw new TypeError(`${config.name}: cannot add ${amount}`);
    }
    checkNames(config.name, declared, labels);
    const key = keyOf(names, labels);
    const entry = held.get(key);
    if (entry) entry.value += amount;
    else held.set(key, { labels: { ...labels }, value: amount, shown: false });
  }
  return { inc, counter };
}

/** A histogram whose observations are held and handed to prom-client in batches (see above). */
export interface BatchedHistogram<T extends string> {
  observe(labels: LabelValues<T>, value: number): void;
  observe(value: number): void;
  readonly histogram: Histogram<T>;
  /** Observations not yet handed to prom-client. */
  readonly held: number;
}

export function batchedHistogram<T extends string>(
  config: Omit<HistogramConfiguration<T>, 'collect'>,
): BatchedHistogram<T> {
  const names = config.labelNames ?? [];
  const declared = new Set<string>(names);
  const held = new Map<string, { labels: LabelValues<T>; values: number[] }>();
  let count = 0;
  const drain = (histogram: Histogram<T>) => {
    count = 0;
    for (const entry of held.values()) {
      const values = entry.values;
      entry.values = [];
      for (const value of values) histogram.observe(entry.labels, value);
    }
  };
  const histogram = new Histogram<T>({
    ...config,
    collect() {
      drain(this);
    },
  });
  function observe(labelsOrValue: LabelValues<T> | number, value?: number): void {
    const labels = typeof labelsOrValue === 'object' ? labelsOrValue : ({} as LabelValues<T>);
    const observed = typeof labelsOrValue === 'number' ? labelsOrValue : value;
    if (observed === undefined || !Number.isFinite(observed)) {
      throw new TypeError(`${config.name}: cannot observe ${observed}`);
    }
    checkNames(config.name, declared, labels);
    const key = keyOf(names, labels);
    const entry = held.get(key);
    if (entry) entry.values.push(observed);
    else held.set(key, { labels: { ...labels }, values: [observed] });
    count += 1;
    if (count >= MAX_HELD_OBSERVATIONS) drain(histogram);
  }
  return {
    observe,
    histogram,
    get held() {
      return count;
    },
  };
}
