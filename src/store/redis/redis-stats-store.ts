import {
  checkRange,
  checkRetention,
  checkWrite,
  emptyMinute,
  firstLiveMinute,
  MINUTE_MS,
  type MinuteDraft,
} from '../stats-rules.js';
import type { StatsMinute, StatsStore, StatsWrite } from '../stats-types.js';
import { statsKeys } from './keys.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisStoreOptions } from './redis-rate-limit-store.js';
import { clockArgument, defineScript, type RunScript, type ScriptArgument } from './scripts.js';
import { STATS_ADD_LUA, STATS_READ_LUA } from './stats-lua.js';

export interface RedisStatsStoreOptions extends RedisStoreOptions {
  /** How long a minute is kept after it starts: its keys expire then. */
  retentionMs: number;
}

const HOUR_MS = 3_600_000;
/** Hours read at once: enough to overlap round trips without one read flooding Redis. */
const READ_CONCURRENCY = 4;

type MinuteReply = [counters: string[], maxima: string[], buckets: string[], instances: string[]];

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
 * Rollups in Redis, shared by every instance. A write is one script over its minute's keys
 * (HINCRBY adds, a compare keeps maxima), so writes from any number of instances combine
 * exactly; the keys expire with retention. A read runs one script per hour of the window.
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
    this.addScript = defineScript(client, 'rampartStatsAdd', { keys: 4, lua: STATS_ADD_LUA });
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
    const args = [
      clockArgument(this.clock),
      write.minute,
      this.retentionMs,
      write.id,
      write.instance,
      ...pairs(write.counters),
      ...pairs(write.maxima),
      ...buckets,
    ];
    await this.addScript(statsKeys(this.prefix, write.minute), args);
  }

  async read(from: number, to: number): Promise<StatsMinute[]> {
    checkRange(from, to);
    const now = this.clock?.() ?? Date.now();
    const start = Math.max(from, firstLiveMinute(now, this.retentionMs));
    const hours = new Map<number, number[]>();
    for (let minute = Math.ceil(start / MINUTE_MS) * MINUTE_MS; minute < to; minute += MINUTE_MS) {
      const hour = minute - (minute % HOUR_MS);
      hours.set(hour, [...(hours.get(hour) ?? []), minute]);
    }
    const groups = [...hours.values()];
    const found: StatsMinute[] = [];
    for (let index = 0; index < groups.length; index += READ_CONCURRENCY) {
      const replies = await Promise.all(
        groups.slice(index, index + READ_CONCURRENCY).map((minutes) => this.readHour(minutes)),
      );
      for (const minutes of replies) found.push(...minutes);
    }
    return found;
  }

  private async readHour(minutes: readonly number[]): Promise<StatsMinute[]> {
    const keys = minutes.flatMap((minute) => statsKeys(this.prefix, minute));
    const reply = (await this.readScript([String(keys.length), ...keys], [])) as MinuteReply[];
    return minutes
      .map((minute, index) => parseMinute(minute, reply[index]!))
      .filter((minute) => minute.instances.length > 0);
  }
}

function parseMinute(minute: number, reply: MinuteReply): StatsMinute {
  const [counters, maxima, buckets, instances] = reply;
  const draft: MinuteDraft = emptyMinute(minute);
  for (const [name, value] of fields(counters)) draft.counters.set(name, value);
  for (const [name, value] of fields(maxima)) draft.maxima.set(name, value);
  for (const [field, count] of fields(buckets)) {
    const split = field.lastIndexOf('#');
    const series = field.slice(0, split);
    const counts = draft.buckets.get(series) ?? new Map<number, number>();
    draft.buckets.set(series, counts);
    counts.set(Number(field.slice(split + 1)), count);
  }
  draft.instances.push(...new Set(instances));
  draft.instances.sort();
  return draft;
}
