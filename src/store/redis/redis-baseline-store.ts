import { checkBaselinePoints, checkInstant, isBaselineName } from '../alert-rules.js';
import type { BaselinePoint, BaselineStore } from '../alert-types.js';
import { MARK_SLOT_LUA } from './alert-lua.js';
import { baselineIndexKeys, baselineKey } from './keys.js';
import type { RedisStoreOptions } from './redis-rate-limit-store.js';
import type { RedisClient } from './redis-connection.js';
import { clockArgument, defineScript, type RunScript } from './scripts.js';

/**
 * The detector's history in Redis, shared by every instance: one hash per series and key, a
 * field per slot holding `value volume`. Numbers are written in JavaScript's shortest exact
 * form, so they read back as the same doubles.
 */
export class RedisBaselineStore implements BaselineStore {
  private readonly prefix: string;
  private readonly index;
  private readonly clock: (() => number) | undefined;
  private readonly mark: RunScript;

  constructor(
    private readonly client: RedisClient,
    options: RedisStoreOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? 'rampart:';
    this.index = baselineIndexKeys(this.prefix);
    this.clock = options.clock;
    this.mark = defineScript(client, 'rampartBaselineMark', { keys: 1, lua: MARK_SLOT_LUA });
  }

  async record(slot: number, points: readonly BaselinePoint[]): Promise<void> {
    checkBaselinePoints(slot, points);
    const bySeries = new Map<string, Record<string, string>>();
    for (const point of points) {
      const hash = baselineKey(this.prefix, point.series, point.key);
      bySeries.set(hash, { [String(slot)]: `${point.value} ${point.volume}` });
    }
    // One command per hash: hashes of different series live in different cluster slots.
    await Promise.all([...bySeries].map(([hash, fields]) => this.client.hset(hash, fields)));
    if (bySeries.size > 0) await this.client.sadd(this.index.hashes, ...bySeries.keys());
    await this.mark([this.index.last], [clockArgument(this.clock), String(slot)]);
  }

  async read(series: string, key: string, slots: readonly number[]): Promise<BaselinePoint[]> {
    if (!isBaselineName(series, key)) return [];
    const wanted = [...new Set(slots)].filter((slot) => Number.isSafeInteger(slot));
    if (wanted.length === 0) return [];
    const hash = baselineKey(this.prefix, series, key);
    const values = await this.client.hmget(hash, ...wanted.map(String));
    const points: BaselinePoint[] = [];
    wanted.forEach((slot, index) => {
      const text = values[index];
      if (text === null || text === undefined) return;
      const [value, volume] = text.split(' ').map(Number) as [number, number];
      points.push({ series, key, slot, value, volume });
    });
    return points.sort((a, b) => a.slot - b.slot);
  }

  async lastSlot(): Promise<number | undefined> {
    const text = await this.client.get(this.index.last);
    return text === null ? undefined : Number(text);
  }

  async purge(before: number): Promise<number> {
    checkInstant(before, 'before');
    let purged = 0;
    for (const hash of await this.client.smembers(this.index.hashes)) {
      const old = (await this.client.hkeys(hash)).filter((slot) => Number(slot) < before);
      if (old.length > 0) purged += await this.client.hdel(hash, ...old);
      if ((await this.client.hlen(hash)) === 0) await this.client.srem(this.index.hashes, hash);
    }
    return purged;
  }
}
