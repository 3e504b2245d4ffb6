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

/** The key of a label set: its values in the series' label order. */
function keyOf<T extends string>(names: readonly T[], labels: LabelValues<T>): string {
  let key = '';
  for (const name of names) key += `${labels[name] ?? ''}\u0000`;
  return key;
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
  const held = new Map<string, { labels: LabelValues<T>; value: number }>();
  const counter = new Counter<T>({
    ...config,
    collect() {
      for (const entry of held.values()) {
        if (entry.value === 0) continue;
        this.inc(entry.labels, entry.value);
        entry.value = 0;
      }
    },
  });
  function inc(labelsOrValue?: LabelValues<T> | number, value?: number): void {
    const labels = typeof labelsOrValue === 'object' ? labelsOrValue : ({} as LabelValues<T>);
    const amount = (typeof labelsOrValue === 'number' ? labelsOrValue : value) ?? 1;
    // Checked here, where prom-client would have thrown, not at the scrape.
    if (!(amount >= 0) || !Number.isFinite(amount)) {
      throw new TypeError(`${config.name}: cannot add ${amount}`);
    }
    const key = keyOf(names, labels);
    const entry = held.get(key);
    if (entry) entry.value += amount;
    else held.set(key, { labels: { ...labels }, value: amount });
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
  const held = new Map<string, { labels: LabelValues<T>; values: number[] }>();
  let count = 0;
  const drain = (histogram: Histogram<T>) => {
    for (const entry of held.values()) {
      for (const value of entry.values) histogram.observe(entry.labels, value);
      entry.values.length = 0;
    }
    count = 0;
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
