import {
  CONTRACT_STATS_RETENTION_MS,
  createManualClock,
  describeStatsStoreContract,
} from '../contract/index.js';
import { MemoryStatsStore } from './memory-stats-store.js';

describeStatsStoreContract('memory', () => {
  const clock = createManualClock();
  return Promise.resolve({
    store: new MemoryStatsStore({ retentionMs: CONTRACT_STATS_RETENTION_MS, now: clock.now }),
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    close: () => Promise.resolve(),
  });
});
