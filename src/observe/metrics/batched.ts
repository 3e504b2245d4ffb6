import { Counter, type CounterConfiguration, type LabelValues } from 'prom-client';
import { checkNames, LabelSets } from './label-sets.js';

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

/** What a series recorded in process adds to prom-client's configuration. */
export interface Batching {
  /**
   * Runs first whenever the series is read (a scrape, a test's `get()`): what still holds events
   * back delivers them, so the read sees them.
   */
  beforeRead?: () => void;
}

export function batchedCounter<T extends string>(
  config: Omit<CounterConfiguration<T>, 'collect'> & Batching,
): BatchedCounter<T> {
  const { beforeRead, ...counterConfig } = config;
  const names = config.labelNames ?? [];
  const declared = new Set<string>(names);
  /** `shown`: handed over once, so the series exists even while its amount stays 0. */
  const held = new LabelSets<T, { labels: LabelValues<T>; value: number; shown: boolean }>(names);
  const counter = new Counter<T>({
    ...counterConfig,
    collect() {
      beforeRead?.();
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
