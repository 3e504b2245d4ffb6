import { RampartError } from '../core/errors.js';
import type { StatsRollup, StatsUnit, StatsWrite } from './stats-types.js';

/**
 * Input checks every StatsStore backend applies, so all of them refuse the same writes. Numbers
 * stay below 2^53 so Lua's doubles and JavaScript add them exactly.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** How long a rollup of each unit spans. */
export const UNIT_MS: Readonly<Record<StatsUnit, number>> = { minute: MINUTE_MS, hour: HOUR_MS };

/** The start of the hour that holds `minute`. */
export const hourOf = (minute: number) => minute - (minute % HOUR_MS);
/** A read spans at most this long: a week, past any retention the config allows. */
export const STATS_MAX_READ_MS = 8 * 24 * 3_600_000;

const MAX_VALUE = Number.MAX_SAFE_INTEGER / 1_024;
/** Names and ids: printable ASCII without spaces, so they fit any key or field. */
const NAME_PATTERN = /^[\x21-\x7e]{1,512}$/;
const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
/** Most names of each kind in one write: far past what the stats module writes. */
const MAX_ENTRIES = 100_000;

function invalid(message: string): RampartError {
  return new RampartError('RAMPART_INVALID_REQUEST', `stats store: ${message}`);
}

function checkNumber(value: number, what: string, least: number): void {
  if (!Number.isSafeInteger(value) || value < least || value > MAX_VALUE)
    throw invalid(`${what} must be a whole number from ${least} to ${MAX_VALUE}`);
}

function checkName(name: string, what: string): void {
  if (!NAME_PATTERN.test(name)) throw invalid(`a ${what} is 1-512 printable ASCII characters`);
}

export function checkMinute(minute: number): void {
  if (!Number.isSafeInteger(minute) || minute < 0 || minute % MINUTE_MS !== 0)
    throw invalid('a minute is a non-negative multiple of 60000 ms');
}

function checkEntries(entries: ReadonlyMap<string, number>, what: string, least: number): void {
  if (entries.size > MAX_ENTRIES) throw invalid(`at most ${MAX_ENTRIES} ${what}s per write`);
  for (const [name, value] of entries) {
    checkName(name, what);
    checkNumber(value, `a ${what} value`, least);
  }
}

export function checkWrite(write: StatsWrite): void {
  if (!ID_PATTERN.test(write.id)) throw invalid('a write id is 1-128 printable ASCII characters');
  if (!ID_PATTERN.test(write.instance))
    throw invalid('an instance id is 1-128 printable ASCII characters');
  checkMinute(write.minute);
  checkEntries(write.counters, 'counter', 0);
  checkEntries(write.maxima, 'maximum', 0);
  if (write.buckets.size > MAX_ENTRIES) throw invalid(`at most ${MAX_ENTRIES} series per write`);
  for (const [series, counts] of write.buckets) {
    checkName(series, 'series');
    if (counts.size > MAX_ENTRIES) throw invalid(`at most ${MAX_ENTRIES} buckets per series`);
    for (const [value, count] of counts) {
      checkNumber(value, 'a bucket value', 0);
      checkNumber(count, 'a bucket count', 1);
    }
  }
}

export function checkRange(from: number, to: number, unit: StatsUnit): void {
  if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from)
    throw invalid('a read range is two instants, from <= to');
  if (to - from > STATS_MAX_READ_MS) throw invalid('a read spans at most 8 days');
  if (unit !== 'minute' && unit !== 'hour') throw invalid('a unit is minute or hour');
}

/** The first start still kept at `now`: a rollup is kept while `now < start + retention`. */
export function firstLiveStart(now: number, retentionMs: number, unit: StatsUnit = 'minute') {
  const size = UNIT_MS[unit];
  return Math.floor((now - retentionMs) / size) * size + size;
}

/** The starts of `unit` in `[from, to)`, oldest first. */
export function startsIn(from: number, to: number, unit: StatsUnit): number[] {
  const size = UNIT_MS[unit];
  const starts: number[] = [];
  for (let start = Math.ceil(from / size) * size; start < to; start += size) starts.push(start);
  return starts;
}

export function checkRetention(retentionMs: number): void {
  if (!Number.isSafeInteger(retentionMs) || retentionMs < MINUTE_MS)
    throw invalid('retention is at least one minute');
}

/** A rollup being assembled from rows, for backends that read it piece by piece. */
export interface RollupDraft extends StatsRollup {
  counters: Map<string, number>;
  maxima: Map<string, number>;
  buckets: Map<string, Map<number, number>>;
  instances: string[];
}

export function emptyRollup(start: number): RollupDraft {
  return { start, counters: new Map(), maxima: new Map(), buckets: new Map(), instances: [] };
}
