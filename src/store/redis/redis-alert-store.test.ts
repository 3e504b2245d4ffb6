import { describe } from 'vitest';
import { describeAlertStoreContract, describeBaselineStoreContract } from '../contract/index.js';
import { describeWithRedis, serviceUrl } from '../test-support/services.js';
import { redisHarness } from './test-support/redis-harness.js';

const shared = { durable: true, sharedClients: true };

describeWithRedis('Redis alert stores', (url) => {
  describeAlertStoreContract('redis', () => redisHarness({ url }, (state) => state.alerts), shared);
  describeBaselineStoreContract(
    'redis',
    () => redisHarness({ url }, (state) => state.baselines),
    shared,
  );
});

// Optional: a Redis Cluster, as `host:port` seed nodes separated by commas.
const clusterNodes = serviceUrl('REDIS_CLUSTER_NODES')?.split(',');

describe.runIf(clusterNodes !== undefined)('Redis Cluster alert stores', () => {
  const connection = { cluster: { nodes: clusterNodes ?? [] } };
  describeAlertStoreContract(
    'redis cluster',
    () => redisHarness(connection, (state) => state.alerts),
    shared,
  );
  describeBaselineStoreContract('redis cluster', () =>
    redisHarness(connection, (state) => state.baselines),
  );
});
