import { describe } from 'vitest';
import {
  CONTRACT_STATS_RETENTION_MS,
  createManualClock,
  describeStatsStoreContract,
  type StatsHarnessFactory,
} from '../contract/index.js';
import { describeWithRedis, serviceUrl } from '../test-support/services.js';
import { openRedisState, type RedisState, type RedisStateOptions } from './open-redis-state.js';
import { RedisStatsStore } from './redis-stats-store.js';
import { deleteKeys, uniquePrefix } from './test-support/redis-harness.js';

/** A unique prefix and a manual clock the scripts read; more clients on demand. */
function statsHarness(connection: RedisStateOptions): StatsHarnessFactory {
  return async () => {
    const clock = createManualClock();
    const keyPrefix = uniquePrefix();
    const opened: RedisState[] = [];
    const open = async () => {
      const state = await openRedisState(connection);
      opened.push(state);
      const options = { keyPrefix, clock: clock.now, retentionMs: CONTRACT_STATS_RETENTION_MS };
      return new RedisStatsStore(state.client, options);
    };
    const store = await open();
    return {
      store,
      advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
      reopen: async () => {
        await Promise.all(opened.splice(1).map((state) => state.close()));
        return open();
      },
      connectAnother: open,
      close: async () => {
        await deleteKeys(opened[0]!.client, keyPrefix);
        await Promise.all(opened.map((state) => state.close()));
      },
    };
  };
}

describeWithRedis('Redis stats store', (url) => {
  describeStatsStoreContract('redis', statsHarness({ url }), {
    durable: true,
    sharedClients: true,
  });
});

// Optional: a Redis Cluster, as `host:port` seed nodes separated by commas.
const clusterNodes = serviceUrl('REDIS_CLUSTER_NODES')?.split(',');

describe.runIf(clusterNodes !== undefined)('Redis Cluster stats store', () => {
  const connection = { cluster: { nodes: clusterNodes ?? [] } };
  describeStatsStoreContract('redis cluster', statsHarness(connection), { sharedClients: true });
});
