import { checkBaselinePoints, checkInstant, isBaselineName } from '../alert-rules.js';
import type { BaselinePoint, BaselineStore } from '../alert-types.js';

/**
 * The detector's history in this process: lost with it, so for tests and library use only; a
 * server keeps it in SQLite or Redis so a restart does not start the baseline again.
 */
export class MemoryBaselineStore implements BaselineStore {
  /** By series and key (JSON of the pair), then by slot. */
  private readonly points = new Map<string, Map<number, BaselinePoint>>();
  private last: number | undefined;

  async record(slot: number, points: readonly BaselinePoint[]): Promise<void> {
    checkBaselinePoints(slot, points);
    for (const point of points) {
      const name = JSON.stringify([point.series, point.key]);
      let slots = this.points.get(name);
      if (!slots) this.points.set(name, (slots = new Map<number, BaselinePoint>()));
      slots.set(slot, { ...point });
    }
    this.last = Math.max(this.last ?? slot, slot);
  }

  async read(series: string, key: string, slots: readonly number[]): Promise<BaselinePoint[]> {
    if (!isBaselineName(series, key)) return [];
    const stored = this.points.get(JSON.stringify([series, key]));
    if (!stored) return [];
    return [...new Set(slots)]
      .map((slot) => stored.get(slot))
      .filter((point): point is BaselinePoint => point !== undefined)
      .sort((a, b) => a.slot - b.slot)
      .map((point) => ({ ...point }));
  }

  async lastSlot(): Promise<number | undefined> {
    return this.last;
  }

  async purge(before: number): Promise<number> {
    checkInstant(before, 'before');
    let purged = 0;
    for (const [name, slots] of this.points) {
      for (const slot of [...slots.keys()]) {
        if (slot >= before) continue;
        slots.delete(slot);
        purged += 1;
      }
      if (slots.size === 0) this.points.delete(name);
    }
    return purged;
  }
}
