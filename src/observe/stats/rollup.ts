import type { StatsRollup } from '../../store/index.js';
import { bucketOf } from './precision.js';
import { OTHER } from './stats-names.js';

/**
 * Most distinct models plus tools one minute of one instance keeps apart; the rest are counted
 * under `(other)`. Tool names come from the model (a call to a tool that does not exist), so
 * without a cap a misbehaving model could grow a minute without bound.
 */
export const MAX_NAMES_PER_MINUTE = 256;
/** Longest encoded name kept apart: stored names are at most 512 characters. */
const MAX_ENCODED_NAME = 256;

/** A stored minute, or another rollup. */
type Mergeable = Pick<StatsRollup, 'counters' | 'maxima' | 'buckets'> & {
  instances: Iterable<string>;
};

function addTo<K>(target: Map<K, number>, key: K, value: number): void {
  target.set(key, (target.get(key) ?? 0) + value);
}

/**
 * Figures that merge by addition (counters, bucket counts) or by maximum: one minute as an
 * instance accumulates it, or any span of minutes as a reader merges it.
 */
export class Rollup {
  readonly counters = new Map<string, number>();
  readonly maxima = new Map<string, number>();
  readonly buckets = new Map<string, Map<number, number>>();
  readonly instances = new Set<string>();
  /** Model targets and tool names kept apart this minute; two sets, so no key is built per call. */
  readonly #names = { model: new Set<string>(), tool: new Set<string>() };

  get empty(): boolean {
    return this.counters.size === 0 && this.buckets.size === 0 && this.maxima.size === 0;
  }

  /** Adds a whole, non-negative amount; anything else (NaN, a negative) is not counted. */
  count(name: string, amount = 1): void {
    if (!(amount > 0) || !Number.isFinite(amount)) return;
    addTo(this.counters, name, Math.round(amount));
  }

  /** Records one duration (µs) in a series: its bucket's count and the series' maximum. */
  observe(series: string, micros: number): void {
    const counts = this.buckets.get(series) ?? new Map<number, number>();
    this.buckets.set(series, counts);
    addTo(counts, bucketOf(micros), 1);
    this.maxima.set(series, Math.max(this.maxima.get(series) ?? micros, micros));
  }

  /** `key` if this minute may keep it apart, else `(other)`. */
  admit(kind: 'model' | 'tool', key: string): string {
    const names = this.#names[kind];
    if (names.has(key)) return key;
    const fits = encodeURIComponent(key).length <= MAX_ENCODED_NAME;
    const held = this.#names.model.size + this.#names.tool.size;
    if (!fits || held >= MAX_NAMES_PER_MINUTE) return OTHER;
    names.add(key);
    return key;
  }

  /** Adds a stored rollup (or one being accumulated) into this one. */
  merge(other: Mergeable): void {
    for (const [name, value] of other.counters) addTo(this.counters, name, value);
    for (const [name, value] of other.maxima) {
      this.maxima.set(name, Math.max(this.maxima.get(name) ?? value, value));
    }
    for (const [series, counts] of other.buckets) {
      const target = this.buckets.get(series) ?? new Map<number, number>();
      this.buckets.set(series, target);
      for (const [bucket, count] of counts) addTo(target, bucket, count);
    }
    for (const instance of other.instances) this.instances.add(instance);
  }
}
