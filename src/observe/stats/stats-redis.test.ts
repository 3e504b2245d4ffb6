import { afterEach, expect, it } from 'vitest';
import { createSilentLogger } from '../../core/logger.js';
import {
  MemoryStatsStore,
  openRedisState,
  RedisStatsStore,
  type RedisState,
  type StatsStore,
} from '../../store/index.js';
import { deleteKeys, uniquePrefix } from '../../store/redis/test-support/redis-harness.js';
import { waitUntilAnswering } from '../../store/redis/test-support/redis-waits.js';
import { startTcpProxy, type TcpProxy } from '../../store/redis/test-support/tcp-proxy.js';
import { describeWithRedis } from '../../store/test-support/services.js';
import { StatsReader } from './stats-reader.js';
import { StatsSink } from './stats-sink.js';
import { settledTurn, type TurnSpec } from './test-support/turns.js';

const RETENTION = 3_600_000;
const MINUTE = 60_000;

function sinkOn(store: StatsStore, instance: string, now: () => number = Date.now) {
  return new StatsSink({
    store,
    instance,
    retentionMs: RETENTION,
    maxPendingMinutes: 60,
    now,
    logger: createSilentLogger(),
  });
}

/** A varied turn: its calls, tools and counters all depend on `index`. */
function turnSpec(at: number, index: number): TurnSpec {
  return {
    at,
    calls: [
      { target: `p/m${index % 3}`, durationMs: 5 + ((index * 37) % 900), ttftMs: 1 + (index % 50) },
      ...(index % 4 === 0
        ? [{ target: 'q/x', durationMs: 2_000 + index, outcome: 'failed' as const }]
        : []),
    ],
    tools: [
      { name: `t${index % 2}`, durationMs: (index * 13) % 120 },
      ...(index % 5 === 0
        ? [{ name: 't0', durationMs: 3, errorCode: 'RAMPART_TOOL_TIMEOUT' as const }]
        : []),
    ],
    inputTokens: index,
    outputTokens: 2 * index,
    costNanos: 1_000 * index,
    redactions: index % 3 === 0 ? { email: 1 } : {},
  };
}

describeWithRedis('stats sinks on a shared Redis', (url) => {
  const opened: RedisState[] = [];
  const prefixes: string[] = [];
  let proxy: TcpProxy | undefined;

  afterEach(async () => {
    for (const prefix of prefixes.splice(0)) await deleteKeys(opened[0]!.client, prefix);
    await Promise.all(opened.splice(0).map((state) => state.close()));
    await proxy?.close();
    proxy = undefined;
  });

  async function redisStore(keyPrefix: string, connection = url) {
    const state = await openRedisState({ url: connection, commandTimeoutMs: 500 });
    opened.push(state);
    return new RedisStatsStore(state.client, { keyPrefix, retentionMs: RETENTION });
  }

  it('combines two instances flushing at once into the figures of one that saw everything', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const sinks = [sinkOn(await redisStore(prefix), 'a'), sinkOn(await redisStore(prefix), 'b')];
    const memory = new MemoryStatsStore({ retentionMs: RETENTION });
    const all = sinkOn(memory, 'all');
    const minute = Date.now() - (Date.now() % MINUTE);

    for (let round = 0; round < 5; round += 1) {
      for (let index = 0; index < 40; index += 1) {
        const spec = turnSpec(minute + ((round * 40 + index) % 3) * 1_000, round * 40 + index);
        sinks[index % 2]!.handle(settledTurn(spec));
        all.handle(settledTurn(spec));
      }
      // Both instances flush at once, several times over, to the same minute.
      await Promise.all([...sinks, ...sinks].map((sink) => sink.flush()));
    }
    await all.flush();

    // Readers on a clock fixed in the minute, so a minute turning meanwhile changes nothing.
    const reader = (store: StatsStore) =>
      new StatsReader({ store, retentionMs: RETENTION, now: () => minute });
    const shared = await reader(await redisStore(prefix)).window(MINUTE);
    const alone = await reader(memory).window(MINUTE);
    expect(shared.figures.instances).toBe(2);
    expect(shared.figures.counters.turns).toBe(200);
    expect({ ...shared.figures, instances: 1 }).toEqual(alone.figures);
  });

  it('holds stats while Redis is down, never touching a turn, and writes them once back', async () => {
    const prefix = uniquePrefix();
    prefixes.push(prefix);
    const direct = await redisStore(prefix);
    const { hostname, port } = new URL(url);
    proxy = await startTcpProxy({ host: hostname, port: Number(port || 6379) });
    const minute = Date.now() - (Date.now() % MINUTE);
    // A clock fixed in the minute: one turning during the test would be a second minute held.
    const sink = sinkOn(await redisStore(prefix, proxy.url), 'through-proxy', () => minute + 1_000);

    proxy.down();
    for (let index = 0; index < 30; index += 1) sink.handle(settledTurn(turnSpec(minute, index)));
    await sink.flush();
    await sink.flush();
    expect(sink.heldMinutes).toBe(1);
    expect(await direct.read(minute, minute + MINUTE)).toEqual([]);

    proxy.up();
    await waitUntilAnswering(async () => {
      await sink.flush();
      if (sink.heldMinutes > 0) throw new Error('still held');
    });

    const [written] = await direct.read(minute, minute + MINUTE);
    expect(written?.counters.get('turns')).toBe(30);
    expect(written?.instances).toEqual(['through-proxy']);
  });
});
