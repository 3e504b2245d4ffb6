import { afterAll, beforeAll, expect, it } from 'vitest';
import type { UsageGroup } from '../store/index.js';
import {
  askAs,
  faulted,
  SIM_MODEL,
  startChaosRig,
  type ChaosRig,
} from './test-support/chaos-rig.js';

/*
 * A turn whose answer was started by one target and finished by another is priced on both:
 * each attempt's tokens on the target that produced them, in one ledger record.
 */

let rig: ChaosRig;
const DAY = 24 * 3_600_000;

beforeAll(async () => {
  rig = await startChaosRig();
});
afterAll(async () => {
  await rig?.close();
});

async function byModel(): Promise<UsageGroup[]> {
  const now = Date.now();
  const query = { userId: 'chaos', from: now - DAY, to: now + DAY, groupBy: 'model' as const };
  for (let attempt = 0; attempt < 50; attempt++) {
    const { groups } = await rig.server.rampart.usage.summarize(query);
    if (groups.length > 0) return groups;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return [];
}

it('prices a cut answer on A and its continuation on B, each on its own target', async () => {
  const { content, clean } = await faulted(rig, 'usagecont', { kind: 'cut-mid-stream', after: 6 });
  const seen = await askAs(rig, 'raw-stream', { model: 'chain-continue', content });
  expect(seen).toMatchObject({ status: 200, text: clean });

  const groups = await byModel();
  const a = groups.find((group) => group.key === `a/${SIM_MODEL}`);
  const b = groups.find((group) => group.key === `b/${SIM_MODEL}`);
  expect(groups).toHaveLength(2);
  // A's stream was cut after its first words: what it sent is counted, and marked so.
  expect(a).toMatchObject({ turns: 1, estimated: true });
  expect(a!.outputTokens).toBeGreaterThan(1);
  // B reported its own usage for the continuation.
  expect(b).toMatchObject({ turns: 1, estimated: false });
  expect(a!.outputTokens + b!.outputTokens).toBeGreaterThanOrEqual(12);
});
