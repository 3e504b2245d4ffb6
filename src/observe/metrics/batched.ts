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

/** Where an absent label goes in a {@link LabelSets} level, apart from an empty value. */
const ABSENT = Symbol('absent');

/**
 * Entries by label set: one map level per declared label, keyed by the label's value (as
 * prom-client shows it: `1` and `'1'` are one value), an absent label kept apart from an empty
 * one, as prom-client keeps them. Why not one string key per set: the values are mostly the same
 * string objects turn after turn (route, provider and model names from the config), whose hashes
 * V8 keeps, while a key built per update must be allocated and hashed every time.
 */
class LabelSets<T extends string, E> {
  readonly #names: readonly T[];
  readonly #root = new Map<string | symbol, unknown>();
  readonly entries: E[] = [];

  constructor(names: readonly T[]) {
    this.#names = names;
  }

  /** The entry of `labels`, made by `create` the first time the set is seen. */
  entry(labels: LabelValues<T>, create: () => E): E {
    let level = this.#root;
    const last = this.#names.length - 1;
    for (let index = 0; index < last; index++) {
      const key = levelKey(labels[this.#names[index] as T]);
      let next = level.get(key) as Map<string | symbol, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    const key = last < 0 ? ABSENT : levelKey(labels[this.#names[last] as T]);
    const known = level.get(key) as E | undefined;
    if (known !== undefined) return known;
    const made = create();
    level.set(key, made);
    this.entries.push(made);
    return made;
  }
}

function levelKey(value: string | number | undefined): string | symbol {
  if (typeof value === 'string') return value;
  return value === undefined ? ABSENT : String(value);
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
  const held = new LabelSets<T, { labels: LabelValues<T>; value: number; shown: boolean }>(names);
  const counter = new Counter<T>({
    ...config,
    collect() {
      for (const entry of held.entries) {
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
    held.entry(labels, () => ({ labels: { ...labels }, value: 0, shown: false })).value += amount;
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
  const held = new LabelSets<T, { labels: LabelValues<T>; values: number[] }>(names);
  let count = 0;
  const drain = (histogram: Histogram<T>) => {
    count = 0;
    for (const entry of held.entries) {
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
    held.entry(labels, () => ({ labels: { ...labels }, values: [] })).values.push(observed);
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
