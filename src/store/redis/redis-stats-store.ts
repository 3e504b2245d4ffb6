import {
  checkRange,
  checkRetention,
  checkWrite,
  emptyRollup,
  firstLiveStart,
  hourOf,
  startsIn,
  type RollupDraft,
} from '../stats-rules.js';
import type { StatsRollup, StatsStore, StatsUnit, StatsWrite } from '../stats-types.js';
import { statsKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-rate-limit-store.js';
import { clockArgument, defineScript, type RunScript, type ScriptArgument } from './scripts.js';
import { STATS_ADD_LUA, STATS_READ_LUA } from './stats-lua.js';

export interface RedisStatsStoreOptions extends RedisStoreOptions {
  /** How long a minute (or hour) is kept after it starts: its keys expire then. */
  retentionMs: number;
}

/** Scripts run at once by one read: enough to overlap round trips without flooding Redis. */
const READ_CONCURRENCY = 4;

type RollupReply = [counters: string[], maxima: string[], buckets: string[], writers: string[]];

function pairs(entries: ReadonlyMap<string, number>): ScriptArgument[] {
  const flat: ScriptArgument[] = [entries.size];
  for (const [name, value] of entries) flat.push(name, value);
  return flat;
}

function* fields(flat: readonly string[]): Generator<[string, number]> {
  for (let index = 0; index + 1 < flat.length; index += 2) {
    yield [flat[index]!, Number(flat[index + 1])];
  }
}

/**
 * Rollups in Redis, shared by every instance. A write is one script over its minute's and its
 * hour's keys (HINCRBY adds, a compare keeps maxima), so writes from any number of instances
 * combine exactly; the keys expire with retention. A read of minutes runs one script per hour
 * of the window; a read of hours, one per hour.
 */
export class RedisStatsStore implements StatsStore {
  private readonly prefix: string;
  private readonly clock: (() => number) | undefined;
  private readonly retentionMs: number;
  private readonly addScript: RunScript;
  private readonly readScript: RunScript;

  constructor(client: RedisClient, options: RedisStatsStoreOptions) {
    checkRetention(options.retentionMs);
    this.prefix = options.keyPrefix ?? 'rampart:';
    this.clock = options.clock;
    this.retentionMs = options.retentionMs;
    this.addScript = defineScript(client, 'rampartStatsAdd', { keys: 8, lua: STATS_ADD_LUA });
    this.readScript = defineScript(client, 'rampartStatsRead', {
      keys: null,
      lua: STATS_READ_LUA,
      readOnly: true,
    });
  }

  async add(write: StatsWrite): Promise<void> {
    checkWrite(write);
    const buckets: ScriptArgument[] = [];
    for (const [series, counts] of write.buckets) {
      for (const [value, count] of counts) buckets.push(`${series}#${value}`, count);
    }
    const keys = statsKeys(this.prefix, write.minute);
    const args = [
      clockArgument(this.clock),
      write.minute,
      hourOf(write.minute),
      this.retentionMs,
      write.id,
      write.instance,
      ...pairs(write.counters),
      ...pairs(write.maxima),
      ...buckets,
    ];
    await this.addScript([...keys.minute, ...keys.hour], args);
  }

  async read(from: number, to: number, unit: StatsUnit = 'minute'): Promise<StatsRollup[]> {
    checkRange(from, to, unit);
    const now = this.clock?.() ?? Date.now();
    const starts = startsIn(Math.max(from, firstLiveStart(now, this.retentionMs, unit)), to, unit);
    // One script per group of keys that share a hash tag: the minutes of an hour, or an hour.
    const groups = new Map<number, number[]>();
    for (const start of starts) {
      const hour = hourOf(start);
      groups.set(hour, [...(groups.get(hour) ?? []), start]);
    }
    const batches = [...groups.values()];
    const found: StatsRollup[] = [];
    for (let index = 0; index < batches.length; index += READ_CONCURRENCY) {
      const replies = await Promise.all(
        batches.slice(index, index + READ_CONCURRENCY).map((group) => this.readGroup(group, unit)),
      );
      for (const rollups of replies) found.push(...rollups);
    }
    return found;
  }

  private async readGroup(starts: readonly number[], unit: StatsUnit): Promise<StatsRollup[]> {
    const keys = starts.flatMap((start) => statsKeys(this.prefix, start)[unit]);
    const reply = (await this.readScript(
      [String(keys.length), ...keys],
      ['', unit],
    )) as RollupReply[];
    return starts
      .map((start, index) => parseRollup(start, reply[index]!))
      .filter((rollup) => rollup.instances.length > 0);
  }
}

function parseRollup(start: number, reply: RollupReply): StatsRollup {
  const [counters, maxima, buckets, writers] = reply;
  const draft: RollupDraft = emptyRollup(start);
  for (const [name, value] of fields(counters)) draft.counters.set(name, value);
  for (const [name, value] of fields(maxima)) draft.maxima.set(name, value);
  for (const [field, count] of fields(buckets)) {
    const split = field.lastIndexOf('#');
    const series = field.slice(0, split);
    const counts = draft.buckets.get(series) ?? new Map<number, number>();
    draft.buckets.set(series, counts);
    counts.set(Number(field.slice(split + 1)), count);
  }
  draft.instances.push(...new Set(writers));
  draft.instances.sort();
  return draft;
}
