import { randomUUID } from 'node:crypto';
import { Cluster, type Redis } from 'ioredis';
import { createManualClock, type ContractHarness } from '../../contract/index.js';
import { openRedisState, type RedisState, type RedisStateOptions } from '../open-redis-state.js';
import type { RedisClient } from '../redis-connection.js';

/** A key prefix no other test run uses, so tests share a Redis without touching each other. */
export function uniquePrefix(): string {
  return `rampart-test:${process.pid}:${randomUUID()}:`;
}

/** Deletes every key under the prefix (never FLUSHDB: the Redis is shared). */
export async function deleteKeys(client: RedisClient, prefix: string): Promise<void> {
  const nodes: Redis[] = client instanceof Cluster ? client.nodes('master') : [client];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      // One key per call: on a cluster, keys of different slots cannot go in one DEL.
      await Promise.all(keys.map((key) => node.unlink(key)));
    } while (cursor !== '0');
  }
}

/**
 * A contract harness over Redis: a unique prefix, a manual clock read by the scripts (so the
 * suites step time exactly), and more clients on demand. `reopen` closes every client but the
 * first (kept to clean up) and opens a new one over the same keys.
 */
export async function redisHarness<S>(
  connection: RedisStateOptions,
  pick: (state: RedisState) => S,
): Promise<ContractHarness<S>> {
  const clock = createManualClock();
  const options = { ...connection, keyPrefix: uniquePrefix(), clock: clock.now };
  const opened = [await openRedisState(options)];
  return {
    store: pick(opened[0]!),
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    reopen: async () => {
      await Promise.all(opened.splice(1).map((state) => state.close()));
      opened.push(await openRedisState(options));
      return pick(opened.at(-1)!);
    },
    connectAnother: async () => {
      opened.push(await openRedisState(options));
      return pick(opened.at(-1)!);
    },
    close: async () => {
      await deleteKeys(opened[0]!.client, options.keyPrefix);
      await Promise.all(opened.map((state) => state.close()));
    },
  };
}
