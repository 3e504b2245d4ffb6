import type { Statement } from 'better-sqlite3';
import {
  checkRange,
  checkRetention,
  checkWrite,
  emptyMinute,
  firstLiveMinute,
  type MinuteDraft,
} from '../stats-rules.js';
import type { StatsMinute, StatsStore, StatsWrite } from '../stats-types.js';
import { settle, type SqliteDatabase } from './database.js';

const PURGE_SPAN_MS = 3_600_000;
const TABLES = ['stats_counters', 'stats_maxima', 'stats_buckets', 'stats_writes'] as const;

interface Statements {
  claim: Statement;
  counter: Statement;
  maximum: Statement;
  bucket: Statement;
  purge: Statement[];
  counters: Statement;
  maxima: Statement;
  buckets: Statement;
  instances: Statement;
}

function prepare(database: SqliteDatabase): Statements {
  const select = (sql: string) => database.prepare(sql).raw();
  return {
    claim: database.prepare(
      'INSERT OR IGNORE INTO stats_writes (minute, id, instance) VALUES (?, ?, ?)',
    ),
    counter: database.prepare(
      `INSERT INTO stats_counters (minute, name, value) VALUES (?, ?, ?)
       ON CONFLICT (minute, name) DO UPDATE SET value = value + excluded.value`,
    ),
    maximum: database.prepare(
      `INSERT INTO stats_maxima (minute, name, value) VALUES (?, ?, ?)
       ON CONFLICT (minute, name) DO UPDATE SET value = MAX(value, excluded.value)`,
    ),
    bucket: database.prepare(
      `INSERT INTO stats_buckets (minute, series, value, count) VALUES (?, ?, ?, ?)
       ON CONFLICT (minute, series, value) DO UPDATE SET count = count + excluded.count`,
    ),
    // At most an hour of minutes per purge, so a write after a long pause pays a bounded cost;
    // reads skip expired minutes whether or not they are purged yet.
    purge: TABLES.map((table) =>
      database.prepare(
        `DELETE FROM ${table}
         WHERE minute < MIN(?, (SELECT MIN(minute) FROM ${table}) + ${PURGE_SPAN_MS})`,
      ),
    ),
    counters: select(
      'SELECT minute, name, value FROM stats_counters WHERE minute >= ? AND minute < ?',
    ),
    maxima: select('SELECT minute, name, value FROM stats_maxima WHERE minute >= ? AND minute < ?'),
    buckets: select(
      'SELECT minute, series, value, count FROM stats_buckets WHERE minute >= ? AND minute < ?',
    ),
    instances: select(
      `SELECT DISTINCT minute, instance FROM stats_writes WHERE minute >= ? AND minute < ?
       ORDER BY minute, instance`,
    ),
  };
}

/**
 * Rollups in the embedded SQLite file. A write is one IMMEDIATE transaction whose upserts add in
 * SQL, so several processes on one file (or one process flushing twice) combine exactly.
 * Minutes past retention are deleted at most once a minute, by a write.
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
      const live = firstLiveMinute(this.clock(), this.retentionMs);
      this.database.transaction(() => this.apply(write, live)).immediate();
    });
  }

  read(from: number, to: number): Promise<StatsMinute[]> {
    return settle(() => {
      checkRange(from, to);
      const start = Math.max(from, firstLiveMinute(this.clock(), this.retentionMs));
      if (start >= to) return [];
      return this.database.transaction(() => this.collect(start, to))();
    });
  }

  private apply(write: StatsWrite, live: number): void {
    // `live` moves on once a minute, so this purges at most once a minute.
    if (live > this.purgedBefore) {
      for (const purge of this.statements.purge) purge.run(live);
      this.purgedBefore = live;
    }
    if (write.minute < live) return;
    const { minute } = write;
    if (this.statements.claim.run(minute, write.id, write.instance).changes === 0) return;
    for (const [name, value] of write.counters) this.statements.counter.run(minute, name, value);
    for (const [name, value] of write.maxima) this.statements.maximum.run(minute, name, value);
    for (const [series, counts] of write.buckets) {
      for (const [value, count] of counts) this.statements.bucket.run(minute, series, value, count);
    }
  }

  /** Read in one transaction, so the four tables are seen at the same moment. */
  private collect(from: number, to: number): StatsMinute[] {
    const minutes = new Map<number, MinuteDraft>();
    const at = (minute: number) => {
      const found = minutes.get(minute) ?? emptyMinute(minute);
      minutes.set(minute, found);
      return found;
    };
    for (const [minute, instance] of this.rows<[number, string]>('instances', from, to)) {
      at(minute).instances.push(instance);
    }
    for (const [minute, name, value] of this.rows<[number, string, number]>('counters', from, to))
      at(minute).counters.set(name, value);
    for (const [minute, name, value] of this.rows<[number, string, number]>('maxima', from, to))
      at(minute).maxima.set(name, value);
    type BucketRow = [number, string, number, number];
    for (const [minute, series, value, count] of this.rows<BucketRow>('buckets', from, to)) {
      const buckets = at(minute).buckets;
      const counts = buckets.get(series) ?? new Map<number, number>();
      buckets.set(series, counts);
      counts.set(value, count);
    }
    return [...minutes.values()].sort((a, b) => a.minute - b.minute);
  }

  private rows<T>(name: 'counters' | 'maxima' | 'buckets' | 'instances', from: number, to: number) {
    return this.statements[name].all(from, to) as T[];
  }
}
