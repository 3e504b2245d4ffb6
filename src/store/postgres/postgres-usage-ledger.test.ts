import { expect, it } from 'vitest';
import { describeUsageLedgerContract, usageRecord } from '../contract/index.js';
import { describeWithPostgres } from '../test-support/services.js';
import { recordsHarness, queryDirect } from './test-support/test-database.js';

describeWithPostgres('postgres usage', (url) => {
  describeUsageLedgerContract('postgres', () => recordsHarness(url, (records) => records.usage), {
    durable: true,
    sharedClients: true,
  });

  it('adds the usage tables in their own migration, ids as bytea', async () => {
    const harness = await recordsHarness(url, (records) => records);
    try {
      expect(harness.store.schemaVersion).toBeGreaterThanOrEqual(5);
      await harness.store.usage.record(usageRecord({ userId: 'a\u0000b' }));
      const rows = await queryDirect(
        url,
        `SELECT user_id, total_cost FROM ${harness.store.schema}.usage_turns`,
      );
      expect(rows).toEqual([{ user_id: Buffer.from('a\u0000b', 'utf8'), total_cost: '1500' }]);
    } finally {
      await harness.close();
    }
  });
});
