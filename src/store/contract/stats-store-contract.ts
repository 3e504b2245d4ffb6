import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isRampartError } from '../../core/errors.js';
import type { StatsRollup, StatsStore, StatsWrite } from '../stats-types.js';
import {
  createManualClock,
  requireCapability,
  type ContractCapabilities,
  type ContractHarness,
} from './harness.js';

/** The retention every harness opens its store with. */
export const CONTRACT_STATS_RETENTION_MS = 2 * 3_600_000;

/**
 * Opens a fresh, empty store keeping minutes for `CONTRACT_STATS_RETENTION_MS`, on a manual clock
 * from `createManualClock()`'s start.
 */
export type StatsHarnessFactory = () => Promise<ContractHarness<StatsStore>>;

const MINUTE = 60_000;
/** The manual clock's start: every harness begins there. */
const T0 = createManualClock().now();

let written = 0;

/** A write from plain objects; each gets a fresh id unless given one. */
export function statsWrite(
  minute: number,
  parts: {
    id?: string;
    instance?: string;
    counters?: Record<string, number>;
    maxima?: Record<string, number>;
    buckets?: Record<string, Record<number, number>>;
  } = {},
): StatsWrite {
  written += 1;
  return {
    id: parts.id ?? `w${process.pid}-${written}`,
    instance: parts.instance ?? 'i-1',
    minute,
    counters: new Map(Object.entries(parts.counters ?? {})),
    maxima: new Map(Object.entries(parts.maxima ?? {})),
    buckets: new Map(
      Object.entries(parts.buckets ?? {}).map(([series, counts]) => [
        series,
        new Map(Object.entries(counts).map(([value, count]) => [Number(value), count])),
      ]),
    ),
  };
}

/** A read rollup as plain objects, for exact comparisons. */
export function plainRollup(rollup: StatsRollup) {
  return {
    start: rollup.start,
    counters: Object.fromEntries(rollup.counters),
    maxima: Object.fromEntries(rollup.maxima),
    buckets: Object.fromEntries(
      [...rollup.buckets].map(([series, counts]) => [
        series,
        Object.fromEntries([...counts].sort(([a], [b]) => a - b)),
      ]),
    ),
    instances: [...rollup.instances],
  };
}

/**
 * The behaviour every StatsStore backend must show: writes merge exactly however many there are
 * and however they interleave, a write id counts once, reads cut minutes by `[from, to)`, and
 * a minute lives for the retention. Time moves only through `advanceTime`.
 */
export function describeStatsStoreContract(
  name: string,
  factory: StatsHarnessFactory,
  capabilities: ContractCapabilities = {},
): void {
  describe(`StatsStore contract: ${name}`, () => {
    let harness: ContractHarness<StatsStore>;
    let stats: StatsStore;
    const minute = T0 - (T0 % MINUTE);

    beforeEach(async () => {
      harness = await factory();
      stats = harness.store;
    });
    afterEach(() => harness.close());

    const readAll = async (store = stats) =>
      (await store.read(minute - 3_600_000, minute + 3_600_000)).map(plainRollup);

    it('reads nothing from an empty store', async () => {
      expect(await stats.read(minute, minute + 10 * MINUTE)).toEqual([]);
    });

    it('reads a write back exactly', async () => {
      await stats.add(
        statsWrite(minute, {
          counters: { turns: 3, 'model:a%2Fb:calls': 2, zero: 0 },
          maxima: { 'model:a%2Fb:duration': 987_654 },
          buckets: { 'model:a%2Fb:duration': { 1_000: 1, 987_136: 2 } },
        }),
      );

      expect(await readAll()).toEqual([
        {
          start: minute,
          counters: { turns: 3, 'model:a%2Fb:calls': 2, zero: 0 },
          maxima: { 'model:a%2Fb:duration': 987_654 },
          buckets: { 'model:a%2Fb:duration': { 1_000: 1, 987_136: 2 } },
          instances: ['i-1'],
        },
      ]);
    });

    it('adds counters and bucket counts, keeps the largest maximum, unites instances', async () => {
      await stats.add(
        statsWrite(minute, {
          instance: 'i-b',
          counters: { turns: 2, errors: 1 },
          maxima: { d: 500, e: 9 },
          buckets: { d: { 100: 1, 500: 1 } },
        }),
      );
      await stats.add(
        statsWrite(minute, {
          instance: 'i-a',
          counters: { turns: 5 },
          maxima: { d: 300, e: 12 },
          buckets: { d: { 100: 4, 300: 1 }, f: { 7: 1 } },
        }),
      );
      await stats.add(statsWrite(minute, { instance: 'i-b', counters: { turns: 1 } }));

      expect(await readAll()).toEqual([
        {
          start: minute,
          counters: { turns: 8, errors: 1 },
          maxima: { d: 500, e: 12 },
          buckets: { d: { 100: 5, 300: 1, 500: 1 }, f: { 7: 1 } },
          instances: ['i-a', 'i-b'],
        },
      ]);
    });

    it('applies a write id once, so a retried write counts once', async () => {
      const write = statsWrite(minute, { id: 'retried', counters: { turns: 4 } });
      await stats.add(write);
      await stats.add(write);
      await stats.add(statsWrite(minute + MINUTE, { id: 'retried', counters: { turns: 1 } }));

      const read = await readAll();
      expect(read.map((entry) => [entry.start, entry.counters])).toEqual([
        [minute, { turns: 4 }],
        [minute + MINUTE, { turns: 1 }],
      ]);
    });

    it('records the instance of a write that carries no figures', async () => {
      await stats.add(statsWrite(minute, { instance: 'idle' }));

      expect(await readAll()).toEqual([
        { start: minute, counters: {}, maxima: {}, buckets: {}, instances: ['idle'] },
      ]);
    });

    it('reads the minutes whose start is in [from, to), oldest first, across hours', async () => {
      const hour = minute - (minute % 3_600_000) + 3_600_000;
      const minutes = [hour - 2 * MINUTE, hour - MINUTE, hour, hour + MINUTE];
      for (const [index, at] of [...minutes].reverse().entries()) {
        await stats.add(statsWrite(at, { counters: { n: index + 1 } }));
      }

      const starts = async (from: number, to: number) =>
        (await stats.read(from, to)).map((entry) => entry.start);
      expect(await starts(hour - 2 * MINUTE, hour + 2 * MINUTE)).toEqual(minutes);
      expect(await starts(hour - MINUTE, hour + MINUTE)).toEqual([hour - MINUTE, hour]);
      // A minute that starts before `from` is out, even when it ends after it.
      expect(await starts(hour - MINUTE + 1, hour + MINUTE + 1)).toEqual([hour, hour + MINUTE]);
      expect(await starts(hour, hour)).toEqual([]);
      const read = await stats.read(hour - 2 * MINUTE, hour + 2 * MINUTE);
      expect(read.map((entry) => entry.counters.get('n'))).toEqual([4, 3, 2, 1]);
    });

    it('keeps a minute until its retention has run, then drops it', async () => {
      await stats.add(statsWrite(minute, { counters: { turns: 1 } }));
      await stats.add(statsWrite(minute + MINUTE, { counters: { turns: 2 } }));
      const window = () => stats.read(minute, minute + 2 * MINUTE);

      await harness.advanceTime(minute + CONTRACT_STATS_RETENTION_MS - T0 - 1);
      expect((await window()).map((entry) => entry.start)).toEqual([minute, minute + MINUTE]);

      await harness.advanceTime(1);
      expect((await window()).map((entry) => entry.start)).toEqual([minute + MINUTE]);

      await harness.advanceTime(MINUTE);
      expect(await window()).toEqual([]);
    });

    it('ignores a write to a minute already past retention', async () => {
      await harness.advanceTime(CONTRACT_STATS_RETENTION_MS + MINUTE);
      await stats.add(statsWrite(minute, { counters: { turns: 1 } }));

      expect(await stats.read(minute, minute + MINUTE)).toEqual([]);
    });

    it('adds large counters exactly', async () => {
      const big = 2 ** 42 + 1;
      await stats.add(statsWrite(minute, { counters: { cost: big }, buckets: { s: { 5: big } } }));
      await stats.add(statsWrite(minute, { counters: { cost: big }, buckets: { s: { 5: 1 } } }));

      const [read] = await readAll();
      expect(read?.counters).toEqual({ cost: 2 * big });
      expect(read?.buckets).toEqual({ s: { 5: big + 1 } });
    });

    it('keeps names apart that differ only in characters keys use as separators', async () => {
      const names = ['a#1', 'a', 'a:b', '{tag}', 'x%23y', 'c#d#2'];
      await stats.add(
        statsWrite(minute, {
          counters: Object.fromEntries(names.map((entry, index) => [entry, index + 1])),
          buckets: Object.fromEntries(names.map((entry, index) => [entry, { 3: index + 1 }])),
        }),
      );

      const [read] = await readAll();
      expect(read?.counters).toEqual(
        Object.fromEntries(names.map((entry, index) => [entry, index + 1])),
      );
      expect(read?.buckets).toEqual(
        Object.fromEntries(names.map((entry, index) => [entry, { 3: index + 1 }])),
      );
    });

    describe('hours', () => {
      const hour = minute - (minute % 3_600_000);
      const hours = (from: number, to: number, store = stats) =>
        store.read(from, to, 'hour').then((found) => found.map(plainRollup));

      it('merges every write of an hour into it, however many minutes and instances', async () => {
        await stats.add(
          statsWrite(hour + 5 * MINUTE, {
            instance: 'i-a',
            counters: { turns: 2 },
            maxima: { d: 40 },
            buckets: { d: { 10: 1, 40: 1 } },
          }),
        );
        const retried = statsWrite(hour + 59 * MINUTE, {
          instance: 'i-b',
          counters: { turns: 3 },
          maxima: { d: 70 },
          buckets: { d: { 10: 2, 70: 1 } },
        });
        await stats.add(retried);
        await stats.add(retried);
        await stats.add(statsWrite(hour + 60 * MINUTE, { counters: { turns: 100 } }));

        expect(await hours(hour, hour + 1)).toEqual([
          {
            start: hour,
            counters: { turns: 5 },
            maxima: { d: 70 },
            buckets: { d: { 10: 3, 40: 1, 70: 1 } },
            instances: ['i-a', 'i-b'],
          },
        ]);
        const both = await hours(hour, hour + 2 * 3_600_000);
        expect(both.map((entry) => [entry.start, entry.counters.turns])).toEqual([
          [hour, 5],
          [hour + 3_600_000, 100],
        ]);
        // A range that starts inside an hour holds only the hours that start in it.
        expect((await hours(hour + 1, hour + 2 * 3_600_000)).map((entry) => entry.start)).toEqual([
          hour + 3_600_000,
        ]);
      });

      it('keeps an hour until its retention has run, counted from its start', async () => {
        await stats.add(statsWrite(hour + 30 * MINUTE, { counters: { turns: 1 } }));
        const read = () => hours(hour, hour + 3_600_000);

        await harness.advanceTime(hour + CONTRACT_STATS_RETENTION_MS - T0 - 1);
        expect((await read()).map((entry) => entry.counters.turns)).toEqual([1]);
        await harness.advanceTime(1);
        expect(await read()).toEqual([]);
        // Its later minutes are still kept; a write to one of them does not bring the hour back.
        await stats.add(statsWrite(hour + 45 * MINUTE, { counters: { turns: 9 } }));
        expect(await read()).toEqual([]);
        const minutes = await stats.read(hour, hour + 3_600_000);
        expect(minutes.map((entry) => entry.counters.get('turns'))).toEqual([1, 9]);
      });
    });

    describe('refuses bad input', () => {
      const refused = async (work: () => Promise<unknown>) => {
        const error = await work().then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(isRampartError(error, 'RAMPART_INVALID_REQUEST')).toBe(true);
      };

      it('refuses a minute that is not a whole minute', async () => {
        await refused(() => stats.add(statsWrite(minute + 1)));
        await refused(() => stats.add(statsWrite(-MINUTE)));
      });

      it('refuses negative, fractional and unsafe numbers', async () => {
        await refused(() => stats.add(statsWrite(minute, { counters: { a: -1 } })));
        await refused(() => stats.add(statsWrite(minute, { counters: { a: 1.5 } })));
        await refused(() => stats.add(statsWrite(minute, { maxima: { a: 2 ** 60 } })));
        await refused(() => stats.add(statsWrite(minute, { buckets: { s: { 5: 0 } } })));
        await refused(() => stats.add(statsWrite(minute, { buckets: { s: { [-5]: 1 } } })));
      });

      it('refuses empty, spaced or overlong names and ids', async () => {
        await refused(() => stats.add(statsWrite(minute, { counters: { '': 1 } })));
        await refused(() => stats.add(statsWrite(minute, { counters: { 'a b': 1 } })));
        await refused(() => stats.add(statsWrite(minute, { counters: { ['x'.repeat(513)]: 1 } })));
        await refused(() => stats.add(statsWrite(minute, { id: '' })));
        await refused(() => stats.add(statsWrite(minute, { instance: 'é' })));
      });

      it('refuses a backwards, overlong or unknown read, and wrote nothing meanwhile', async () => {
        await refused(() => stats.read(minute + MINUTE, minute));
        await refused(() => stats.read(minute, minute + 9 * 24 * 3_600_000));
        await refused(() => stats.read(minute, minute + MINUTE, 'day' as 'hour'));
        expect(await readAll()).toEqual([]);
      });
    });

    if (capabilities.sharedClients) {
      it('combines concurrent writes from two clients exactly', async () => {
        const other = await requireCapability(harness.connectAnother, 'connectAnother')();
        const burst = (store: StatsStore, instance: string) =>
          Array.from({ length: 40 }, (_, index) =>
            store.add(
              statsWrite(minute + (index % 2) * MINUTE, {
                instance,
                counters: { turns: 1, tokens: index },
                maxima: { d: index * 10 + (instance === 'i-b' ? 5 : 0) },
                buckets: { d: { [index % 4]: 1 } },
              }),
            ),
          );
        await Promise.all([...burst(stats, 'i-a'), ...burst(other, 'i-b')]);

        const read = await readAll();
        expect(read.map((entry) => entry.counters)).toEqual([
          // Even indices 0..38 add to 380 per client; odd ones 1..39 to 400.
          { turns: 40, tokens: 760 },
          { turns: 40, tokens: 800 },
        ]);
        expect(read.map((entry) => entry.maxima)).toEqual([{ d: 385 }, { d: 395 }]);
        expect(read.map((entry) => entry.buckets)).toEqual([
          { d: { 0: 20, 2: 20 } },
          { d: { 1: 20, 3: 20 } },
        ]);
        expect(read.map((entry) => entry.instances)).toEqual([
          ['i-a', 'i-b'],
          ['i-a', 'i-b'],
        ]);
      });
    }

    if (capabilities.durable) {
      it('keeps every minute across a reopen', async () => {
        await stats.add(statsWrite(minute, { counters: { turns: 2 }, buckets: { s: { 9: 1 } } }));
        const reopened = await requireCapability(harness.reopen, 'reopen')();

        expect(await readAll(reopened)).toEqual([
          {
            start: minute,
            counters: { turns: 2 },
            maxima: {},
            buckets: { s: { 9: 1 } },
            instances: ['i-1'],
          },
        ]);
      });
    }
  });
}
