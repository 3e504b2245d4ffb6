import { describe } from 'vitest';
import {
  describeBreakerStoreContract,
  describeBudgetStoreContract,
  describeRateLimitStoreContract,
  describeSessionStoreContract,
  describeSlotStoreContract,
} from '../contract/index.js';
import { describeWithRedis, serviceUrl } from '../test-support/services.js';
import { redisHarness } from './test-support/redis-harness.js';

describeWithRedis('Redis stores', (url) => {
  describeSessionStoreContract(
    'redis',
    (options) => redisHarness({ url, ...options }, (state) => state.sessions),
    { durable: true, sharedClients: true },
  );
  describeRateLimitStoreContract(
    'redis',
    () => redisHarness({ url }, (state) => state.rateLimits),
    {
      sharedClients: true,
    },
  );
  describeSlotStoreContract('redis', () => redisHarness({ url }, (state) => state.slots), {
    sharedClients: true,
  });
  describeBreakerStoreContract('redis', () => redisHarness({ url }, (state) => state.breakers), {
    sharedClients: true,
  });
  describeBudgetStoreContract('redis', () => redisHarness({ url }, (state) => state.budgets), {
    sharedClients: true,
  });
});

// Optional: a Redis Cluster, as `host:port` seed nodes separated by commas.
const clusterNodes = serviceUrl('REDIS_CLUSTER_NODES')?.split(',');

describe.runIf(clusterNodes !== undefined)('Redis Cluster stores', () => {
  const connection = { cluster: { nodes: clusterNodes ?? [] } };
  describeSessionStoreContract('redis cluster', (options) =>
    redisHarness({ ...connection, ...options }, (state) => state.sessions),
  );
  describeRateLimitStoreContract('redis cluster', () =>
    redisHarness(connection, (state) => state.rateLimits),
  );
  describeSlotStoreContract('redis cluster', () =>
    redisHarness(connection, (state) => state.slots),
  );
  describeBreakerStoreContract(
    'redis cluster',
    () => redisHarness(connection, (state) => state.breakers),
    { sharedClients: true },
  );
  describeBudgetStoreContract(
    'redis cluster',
    () => redisHarness(connection, (state) => state.budgets),
    { sharedClients: true },
  );
});
