import type { Statement } from 'better-sqlite3';
import {
  checkRange,
  checkRetention,
  checkWrite,
  emptyRollup,
  firstLiveStart,
  hourOf,
  UNIT_MS,
  type RollupDraft,
} from '../stats-rules.js';
import type { StatsRollup, StatsStore, StatsUnit, StatsWrite } from '../stats-types.js';
import { settle, type SqliteDatabase } from './database.js';

/** At most this much of a unit's rollups (or of write marks) goes in one purge. */
const PURGE_SPAN_MS = 3_600_000;
const ROLLUP_TABLES = ['stats_counters', 'stats_maxima', 'stats_buckets'] as const;

interface Statements {
  claim: Statement;
  counter: Statement;
  maximum: Statement;
  bucket: Statement;
  purgeRollups: Statement[];
  purgeWrites: Statement;
  counters: Statement;
  maxima: Statement;
  buckets: Statement;
  instances: Statement;
}

function prepare(database: SqliteDatabase): Statements {
  const select = (sql: string) => database.prepare(sql).raw();
  // A purge takes at most PURGE_SPAN_MS of the oldest starts, so a write after a long pause pays
  // a bounded cost; reads skip expired rollups whether or not they are purged yet.
  const purgeRollups = (table: string) =>
    database.prepare(
      `DELETE FROM ${table} WHERE unit = @unit AND start < MIN(@before,
         (SELECT MIN(start) FROM ${table} WHERE unit = @unit) + ${PURGE_SPAN_MS})`,
    );
  return {
    claim: database.prepare(
      'INSERT OR IGNORE INTO stats_writes (minute, id, instance) VALUES (?, ?, ?)',
    ),
    counter: database.prepare(
      `INSERT INTO stats_counters (unit, start, name, value) VALUES (?, ?, ?, ?)
       ON CONFLICT (unit, start, name) DO UPDATE SET value = value + excluded.value`,
    ),
    maximum: database.prepare(
      `INSERT INTO stats_maxima (unit, start, name, value) VALUES (?, ?, ?, ?)
       ON CONFLICT (unit, start, name) DO UPDATE SET value = MAX(value, excluded.value)`,
    ),
    bucket: database.prepare(
      `INSERT INTO stats_buckets (unit, start, series, value, count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (unit, start, series, value) DO UPDATE SET count = count + excluded.count`,
    ),
    purgeRollups: ROLLUP_TABLES.map(purgeRollups),
    purgeWrites: database.prepare(
      `DELETE FROM stats_writes WHERE minute < MIN(@before,
         (SELECT MIN(minute) FROM stats_writes) + ${PURGE_SPAN_MS})`,
    ),
    counters: select(
      'SELECT start, name, value FROM stats_counters WHERE unit = ? AND start >= ? AND start < ?',
    ),
    maxima: select(
      'SELECT start, name, value FROM stats_maxima WHERE unit = ? AND start >= ? AND start < ?',
    ),
    buckets: select(
      `SELECT start, series, value, count FROM stats_buckets
       WHERE unit = ? AND start >= ? AND start < ?`,
    ),
    // The instances of a minute, or of an hour: those that wrote to any of its minutes.
    instances: select(
      `SELECT DISTINCT minute - minute % @size AS start, instance FROM stats_writes
       WHERE minute >= @from AND minute < @to ORDER BY start, instance`,
    ),
  };
}

/**
 * Rollups in the embedded SQLite file. A write is one IMMEDIATE transaction whose upserts add in
 * SQL, to its minute and its hour, so several processes on one file (or one process flushing
 * twice) combine exactly. Rollups past retention are deleted at most once a minute, by a write.
 */
export class SqliteStatsStore implements StatsStore {
  private readonly statements: Statements;
  private purgedBefore = -Infinity;

  constructor(
    private readonly database: SqliteDatabase,
    private readonly clock: () => number,
    private readonly retentionMs: number,
  ) {
    checkRetention(retentionMs);
    this.statements = prepare(database);
  }

  add(write: StatsWrite): Promise<void> {
    return settle(() => {
      checkWrite(write);
      this.database.transaction(() => this.apply(write, this.clock())).immediate();
    });
  }

  read(from: number, to: number, unit: StatsUnit = 'minute'): Promise<StatsRollup[]> {
    return settle(() => {
      checkRange(from, to, unit);
      const size = UNIT_MS[unit];
      const first = Math.ceil(from / size) * size;
      const start = Math.max(first, firstLiveStart(this.clock(), this.retentionMs, unit));
      if (start >= to) return [];
      return this.database.transaction(() => this.collect(unit, start, to))();
    });
  }

  private apply(write: StatsWrite, now: number): void {
    const live = firstLiveStart(now, this.retentionMs);
    this.purge(now, live);
    const { minute } = write;
    if (minute < live) return;
    if (this.statements.claim.run(minute, write.id, write.instance).changes === 0) return;
    const hour = hourOf(minute);
    const starts: Array<[number, number]> = [[UNIT_MS.minute, minute]];
    if (hour >= firstLiveStart(now, this.retentionMs, 'hour')) starts.push([UNIT_MS.hour, hour]);
    for (const [unit, start] of starts) {
      for (const [name, value] of write.counters)
        this.statements.counter.run(unit, start, name, value);
      for (const [name, value] of write.maxima)
        this.statements.maximum.run(unit, start, name, value);
      for (const [series, counts] of write.buckets) {
        for (const [value, count] of counts) {
          this.statements.bucket.run(unit, start, series, value, count);
        }
      }
    }
  }

  /** `live` moves on once a minute, so this purges at most once a minute. */
  private purge(now: number, live: number): void {
    if (live <= this.purgedBefore) return;
    this.purgedBefore = live;
    for (const unit of ['minute', 'hour'] as const) {
      const before = firstLiveStart(now, this.retentionMs, unit);
      for (const purge of this.statements.purgeRollups) purge.run({ unit: UNIT_MS[unit], before });
    }
    this.statements.purgeWrites.run({ before: live });
  }

  /** Read in one transaction, so the four tables are seen at the same moment. */
  private collect(unit: StatsUnit, from: number, to: number): StatsRollup[] {
    const rollups = new Map<number, RollupDraft>();
    const at = (start: number) => {
      const found = rollups.get(start) ?? emptyRollup(start);
      rollups.set(start, found);
      return found;
    };
    const size = UNIT_MS[unit];
    const rows = <T>(name: 'counters' | 'maxima' | 'buckets') =>
      this.statements[name].all(size, from, to) as T[];
    // Every minute of the last hour counts, though the range may end inside it.
    const until = Math.ceil(to / size) * size;
    const instances = this.statements.instances.all({ size, from, to: until }) as Array<
      [number, string]
    >;
    for (const [start, instance] of instances) at(start).instances.push(instance);
    for (const [start, name, value] of rows<[number, string, number]>('counters')) {
      at(start).counters.set(name, value);
    }
    for (const [start, name, value] of rows<[number, string, number]>('maxima')) {
      at(start).maxima.set(name, value);
    }
    for (const [start, series, value, count] of rows<[number, string, number, number]>('buckets')) {
      const buckets = at(start).buckets;
      const counts = buckets.get(series) ?? new Map<number, number>();
      buckets.set(series, counts);
      counts.set(value, count);
    }
    return [...rollups.values()].sort((a, b) => a.start - b.start);
  }
}
