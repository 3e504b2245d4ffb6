import type { BaselineStore } from '../../store/index.js';
import { median, medianAbsoluteDeviation } from './robust.js';
import { baselineSlots, type SlotPlan } from './slots.js';

/** What a series usually is at this time of day. */
export interface Baseline {
  median: number;
  /** Median absolute deviation, unscaled and unfloored. */
  mad: number;
  /** Past days that gave at least one usable sample. */
  days: number;
  samples: number;
}

export interface BaselineBookOptions extends SlotPlan {
  store: BaselineStore;
  /** Days with usable samples a baseline needs before it counts. */
  minDays: number;
}

/**
 * Baselines by series and key for the current time of day. They change only when the current
 * window moves to another set of past slots (every slot length), so they are read from the
 * store once per set and kept until the set moves on.
 */
export class BaselineBook {
  readonly #options: BaselineBookOptions;
  #slotsKey = '';
  #days: number[][] = [];
  readonly #cache = new Map<string, Baseline | undefined>();

  constructor(options: BaselineBookOptions) {
    this.#options = options;
  }

  /** The baseline for a window starting at `start`; `undefined` while history is too short. */
  async baseline(
    series: string,
    key: string,
    start: number,
    minVolume: number,
  ): Promise<Baseline | undefined> {
    this.#moveTo(start);
    const name = JSON.stringify([series, key, minVolume]);
    if (this.#cache.has(name)) return this.#cache.get(name);
    const points = await this.#options.store.read(series, key, this.#days.flat());
    const usable = new Map(
      points.filter((point) => point.volume >= minVolume).map((point) => [point.slot, point.value]),
    );
    const baseline = this.#summarise(usable);
    this.#cache.set(name, baseline);
    return baseline;
  }

  /** Forgets every baseline, e.g. after older slots were filled in. */
  forget(): void {
    this.#cache.clear();
  }

  #moveTo(start: number): void {
    const days = baselineSlots(start, this.#options);
    const slotsKey = days.map((slots) => slots.join(',')).join(';');
    if (slotsKey === this.#slotsKey) return;
    this.#slotsKey = slotsKey;
    this.#days = days;
    this.#cache.clear();
  }

  #summarise(values: ReadonlyMap<number, number>): Baseline | undefined {
    const days = this.#days.filter((slots) => slots.some((slot) => values.has(slot))).length;
    if (days < this.#options.minDays || values.size === 0) return undefined;
    const samples = [...values.values()];
    const centre = median(samples);
    const mad = medianAbsoluteDeviation(samples, centre);
    return { median: centre, mad, days, samples: samples.length };
  }
}
