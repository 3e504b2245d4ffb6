import type { BaselinePoint, BaselineStore } from '../../store/index.js';
import type { WindowReader } from '../window-summary.js';
import type { KeyRegistry } from './key-registry.js';
import { seriesValues } from './series.js';
import { lastEndedSlot } from './slots.js';

export interface SlotRecorderOptions {
  reader: WindowReader;
  store: BaselineStore;
  keys: KeyRegistry;
  slotMs: number;
  /** How far back slots missing from the history are filled in. */
  backfillMs: number;
  /** How long after a slot ends the reader holds all of it (every instance has flushed). */
  settleMs: number;
}

/** Slots summarised per evaluation at most, so a long backfill does not hold one tick up. */
const MAX_SLOTS_PER_TICK = 96;

/**
 * Writes each ended slot's series values to the baseline history, once: the store remembers
 * the last slot done, so a restart picks up where the history stops (back as far as the
 * backfill reaches, which the stats store must still hold).
 */
export class SlotRecorder {
  readonly #options: SlotRecorderOptions;
  /** `null` until read from the store. */
  #last: number | undefined | null = null;

  constructor(options: SlotRecorderOptions) {
    this.#options = options;
  }

  /** Records the slots ended since the last one done; returns how many it recorded. */
  async catchUp(now: number): Promise<number> {
    const { slotMs, backfillMs, settleMs } = this.#options;
    if (this.#last === null) this.#last = await this.#options.store.lastSlot();
    const latest = lastEndedSlot(now - settleMs, slotMs);
    const earliest = Math.floor((latest - backfillMs) / slotMs) * slotMs;
    // The slot after the last one done, on this window length's grid (the length may have
    // changed since that slot was written).
    const next = this.#last === undefined ? earliest : Math.floor(this.#last / slotMs + 1) * slotMs;
    let slot = Math.max(next, earliest);
    let recorded = 0;
    for (; slot <= latest && recorded < MAX_SLOTS_PER_TICK; slot += slotMs) {
      await this.#record(slot);
      this.#last = slot;
      recorded += 1;
    }
    return recorded;
  }

  /** Forgets the last slot done, so the next catch-up reads it from the store again. */
  reload(): void {
    this.#last = null;
  }

  async #record(slot: number): Promise<void> {
    const { reader, store, keys, slotMs } = this.#options;
    const summary = await reader.summarize(slot, slot + slotMs);
    const points: BaselinePoint[] = seriesValues(summary)
      .filter((value) => keys.admit(value.series, value.key))
      .map((value) => ({ ...value, slot }));
    await store.record(slot, points);
  }
}
