import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRampartError } from '../../core/index.js';
import type { BaselinePoint, BaselineStore } from '../alert-types.js';
import {
  requireCapability,
  type ContractCapabilities,
  type ContractHarness,
  type HarnessFactory,
} from './harness.js';

const SLOT = 15 * 60_000;
const S0 = Date.UTC(2026, 0, 5, 10);

function point(slot: number, value: number, overrides: Partial<BaselinePoint> = {}) {
  return {
    series: 'model_latency_p95',
    key: 'openai/gpt-4o',
    slot,
    value,
    volume: 40,
    ...overrides,
  };
}

/** The behaviour every BaselineStore backend must show. */
export function describeBaselineStoreContract(
  name: string,
  factory: HarnessFactory<BaselineStore>,
  capabilities: ContractCapabilities = {},
): void {
  describe(`BaselineStore contract: ${name}`, () => {
    let harness: ContractHarness<BaselineStore>;
    let baselines: BaselineStore;

    beforeEach(async () => {
      harness = await factory();
      baselines = harness.store;
    });
    afterEach(() => harness.close());

    it('returns the points asked for, by slot, with every digit', async () => {
      const values = [812.5, 0.1 + 0.2, 1e-7, 123_456_789.123_456_7];
      for (const [index, value] of values.entries()) {
        await baselines.record(S0 + index * SLOT, [point(S0 + index * SLOT, value)]);
      }

      const read = await baselines.read('model_latency_p95', 'openai/gpt-4o', [
        S0 + 3 * SLOT,
        S0 + SLOT,
        S0 - SLOT,
        S0 + SLOT,
      ]);
      expect(read).toEqual([
        point(S0 + SLOT, 0.1 + 0.2),
        point(S0 + 3 * SLOT, 123_456_789.123_456_7),
      ]);
      expect(await baselines.read('model_latency_p95', 'other', [S0])).toEqual([]);
    });

    it('keeps series and keys apart, braces and all', async () => {
      const keys = ['{a}', 'a|b', '😀', ''];
      await baselines.record(
        S0,
        keys.map((key, index) => point(S0, index, { key })),
      );
      for (const [index, key] of keys.entries()) {
        expect(await baselines.read('model_latency_p95', key, [S0])).toEqual([
          point(S0, index, { key }),
        ]);
      }
    });

    it('replaces a slot recorded again', async () => {
      await baselines.record(S0, [point(S0, 100)]);
      await baselines.record(S0, [point(S0, 200, { volume: 7 })]);
      expect(await baselines.read('model_latency_p95', 'openai/gpt-4o', [S0])).toEqual([
        point(S0, 200, { volume: 7 }),
      ]);
    });

    it('marks the latest slot done, with or without points', async () => {
      expect(await baselines.lastSlot()).toBeUndefined();
      await baselines.record(S0 + SLOT, []);
      expect(await baselines.lastSlot()).toBe(S0 + SLOT);
      await baselines.record(S0, [point(S0, 1)]);
      expect(await baselines.lastSlot()).toBe(S0 + SLOT);
    });

    it('purges slots before the cutoff', async () => {
      for (let index = 0; index < 4; index += 1) {
        await baselines.record(S0 + index * SLOT, [
          point(S0 + index * SLOT, index),
          point(S0 + index * SLOT, index, { series: 'fallback_rate', key: '' }),
        ]);
      }
      expect(await baselines.purge(S0 + 2 * SLOT)).toBe(4);
      const slots = [0, 1, 2, 3].map((index) => S0 + index * SLOT);
      const left = await baselines.read('model_latency_p95', 'openai/gpt-4o', slots);
      expect(left.map((kept) => kept.value)).toEqual([2, 3]);
      expect(await baselines.purge(S0 + 2 * SLOT)).toBe(0);
    });

    it('refuses points no backend could keep exactly', async () => {
      const bad: Partial<BaselinePoint>[] = [
        { value: Number.NaN },
        { value: Number.NEGATIVE_INFINITY },
        { volume: -1 },
        { volume: 1.5 },
        { series: '' },
        { key: '\udc00' },
        { slot: S0 + 1 },
      ];
      for (const overrides of bad) {
        const error: unknown = await baselines.record(S0, [point(S0, 1, overrides)]).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(isRampartError(error, 'RAMPART_INVALID_REQUEST')).toBe(true);
      }
      expect(await baselines.lastSlot()).toBeUndefined();
      expect(await baselines.read('', 'x', [S0])).toEqual([]);
      expect(await baselines.read('a', '\ud800', [S0])).toEqual([]);
    });

    if (capabilities.durable) {
      it('keeps the history across a reopen', async () => {
        await baselines.record(S0, [point(S0, 42)]);
        const reopened = await requireCapability(harness.reopen, 'reopen')();
        expect(await reopened.read('model_latency_p95', 'openai/gpt-4o', [S0])).toEqual([
          point(S0, 42),
        ]);
        expect(await reopened.lastSlot()).toBe(S0);
      });
    }
  });
}
