import {
  createManualClock,
  describeAlertStoreContract,
  describeBaselineStoreContract,
} from '../contract/index.js';
import { MemoryAlertStore } from './memory-alert-store.js';
import { MemoryBaselineStore } from './memory-baseline-store.js';

describeAlertStoreContract('memory', () => {
  const clock = createManualClock();
  return Promise.resolve({
    store: new MemoryAlertStore({ now: clock.now }),
    advanceTime: (ms) => Promise.resolve(clock.advance(ms)),
    close: () => Promise.resolve(),
  });
});

describeBaselineStoreContract('memory', () =>
  Promise.resolve({
    store: new MemoryBaselineStore(),
    advanceTime: () => Promise.resolve(),
    close: () => Promise.resolve(),
  }),
);
