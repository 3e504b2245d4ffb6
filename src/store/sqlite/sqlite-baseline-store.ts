import { checkBaselinePoints, checkInstant, isBaselineName } from '../alert-rules.js';
import type { BaselinePoint, BaselineStore } from '../alert-types.js';
import { settle, type SqliteDatabase } from './database.js';

const LAST_SLOT = 'anomaly-last-slot';

/** Slots asked for at once at most; more are read in pieces (SQLite's variable limit). */
const READ_CHUNK = 500;

/** The detector's history in SQLite: a row per series, key and slot. */
export class SqliteBaselineStore implements BaselineStore {
  private readonly statements;

  constructor(private readonly database: SqliteDatabase) {
    this.statements = {
      upsert: database.prepare(`
        INSERT INTO anomaly_baseline (series, key, slot, value, volume)
        VALUES (@series, @key, @slot, @value, @volume)
        ON CONFLICT (series, key, slot) DO UPDATE
        SET value = excluded.value, volume = excluded.volume`),
      mark: database.prepare(`
        INSERT INTO anomaly_marks (name, value) VALUES (?, ?)
        ON CONFLICT (name) DO UPDATE SET value = MAX(value, excluded.value)`),
      last: database.prepare('SELECT value FROM anomaly_marks WHERE name = ?').pluck(),
      read: database.prepare(`
        SELECT series, key, slot, value, volume FROM anomaly_baseline
        WHERE series = ? AND key = ? AND slot IN (SELECT value FROM json_each(?))
        ORDER BY slot`),
      purge: database.prepare('DELETE FROM anomaly_baseline WHERE slot < ?'),
    };
  }

  record(slot: number, points: readonly BaselinePoint[]): Promise<void> {
    return settle(() => {
      checkBaselinePoints(slot, points);
      this.database.transaction(() => {
        for (const point of points) this.statements.upsert.run(point);
        this.statements.mark.run(LAST_SLOT, slot);
      })();
    });
  }

  read(series: string, key: string, slots: readonly number[]): Promise<BaselinePoint[]> {
    return settle(() => {
      if (!isBaselineName(series, key)) return [];
      const wanted = [...new Set(slots)].filter((slot) => Number.isSafeInteger(slot));
      const points: BaselinePoint[] = [];
      for (let start = 0; start < wanted.length; start += READ_CHUNK) {
        const chunk = JSON.stringify(wanted.slice(start, start + READ_CHUNK));
        points.push(...(this.statements.read.all(series, key, chunk) as BaselinePoint[]));
      }
      return points.sort((a, b) => a.slot - b.slot);
    });
  }

  lastSlot(): Promise<number | undefined> {
    return settle(() => (this.statements.last.get(LAST_SLOT) as number | undefined) ?? undefined);
  }

  purge(before: number): Promise<number> {
    return settle(() => {
      checkInstant(before, 'before');
      return this.statements.purge.run(before).changes;
    });
  }
}
