import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../../app/test-support/prometheus-text.js';
import { bucketedHistogram } from './bucketed-histogram.js';

const BUCKETS = [0.005, 0.1, 0.25, 1, 2.5, 10];

/** The same series twice: ours on one registry, prom-client's own on another. */
function pair(labelNames: readonly string[]) {
  const ours = new Registry();
  const theirs = new Registry();
  const config = { name: 'test_seconds', help: 'Seconds.', labelNames, buckets: BUCKETS };
  const histogram = bucketedHistogram({ ...config, registers: [ours] });
  const reference = new Histogram({ ...config, registers: [theirs] });
  return { histogram, reference, ours, theirs };
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('bucketedHistogram', () => {
  it('exposes exactly what prom-client’s Histogram exposes for the same observations', async () => {
    const { histogram, reference, ours, theirs } = pair(['route', 'outcome']);
    // Nothing observed yet: a labelled series does not exist in either.
    expect(await ours.metrics()).toBe(await theirs.metrics());
    const next = random(7);
    const routes = ['chat', 'auto', 'a,b:c', ''];
    for (let index = 0; index < 5_000; index++) {
      const labels = {
        route: routes[Math.floor(next() * routes.length)] as string,
        outcome: next() < 0.9 ? 'ok' : 'error',
      };
      // On the bounds, between them, past the last, zero and negative.
      const pick = next();
      const value =
        pick < 0.2
          ? (BUCKETS[Math.floor(next() * BUCKETS.length)] as number)
          : pick < 0.25
            ? -next()
            : pick < 0.3
              ? 0
              : next() * 20;
      histogram.observe(labels, value);
      reference.observe(labels, value);
      if (index % 1_000 === 999) expect(await ours.metrics()).toBe(await theirs.metrics());
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('shows a series without labels at zero before its first observation, as prom-client does', async () => {
    const { histogram, reference, ours, theirs } = pair([]);
    expect(await ours.metrics()).toBe(await theirs.metrics());
    histogram.observe(0.3);
    reference.observe(0.3);
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    const samples = parsePrometheusText(text);
    expect(sampleValue(samples, 'test_seconds_bucket', { le: '0.25' })).toBe(0);
    expect(sampleValue(samples, 'test_seconds_bucket', { le: '1' })).toBe(1);
    expect(sampleValue(samples, 'test_seconds_count')).toBe(1);
  });

  it('refuses what prom-client refuses, at the call, and records nothing for it', async () => {
    const { histogram, ours } = pair(['kind']);
    expect(() => histogram.observe({ kind: 'a' }, Number.POSITIVE_INFINITY)).toThrow(TypeError);
    expect(() => histogram.observe({ kind: 'a' }, Number.NaN)).toThrow(TypeError);
    expect(() => histogram.observe({ kind: 'a', extra: 'x' } as { kind: string }, 1)).toThrow(
      /no label named extra/,
    );
    expect(parsePrometheusText(await ours.metrics())).toEqual([]);
  });

  it('refuses buckets that are not ascending, and a label named le', () => {
    const registers = [new Registry()];
    const base = { name: 'bad_seconds', help: 'Bad.', registers };
    expect(() => bucketedHistogram({ ...base, buckets: [1, 0.5] })).toThrow(/ascending/);
    expect(() => bucketedHistogram({ ...base, buckets: [1, Number.NaN] })).toThrow(/ascending/);
    expect(() => bucketedHistogram({ ...base, buckets: [1], labelNames: ['le'] })).toThrow(
      /reserved/,
    );
  });

  it('forgets every series on a registry reset, as prom-client does', async () => {
    for (const labelNames of [['kind'], []]) {
      const { histogram, reference, ours, theirs } = pair(labelNames);
      const labels = labelNames.length > 0 ? { kind: 'a' } : {};
      histogram.observe(labels, 0.5);
      reference.observe(labels, 0.5);
      ours.resetMetrics();
      theirs.resetMetrics();
      expect(await ours.metrics()).toBe(await theirs.metrics());
      histogram.observe(labels, 2);
      reference.observe(labels, 2);
      expect(await ours.metrics()).toBe(await theirs.metrics());
    }
  });

  it('reads what is held back first, so a scrape sees it', async () => {
    const registry = new Registry();
    const held: number[] = [0.2, 3];
    const histogram = bucketedHistogram({
      name: 'test_seconds',
      help: 'Seconds.',
      buckets: BUCKETS,
      registers: [registry],
      beforeRead: () => {
        for (const value of held.splice(0)) histogram.observe(value);
      },
    });
    const samples = parsePrometheusText(await registry.metrics());
    expect(sampleValue(samples, 'test_seconds_count')).toBe(2);
    expect(sampleValue(samples, 'test_seconds_sum')).toBe(3.2);
  });
});
