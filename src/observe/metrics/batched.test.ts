import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText, sampleValue } from '../../app/test-support/prometheus-text.js';
import { batchedCounter } from './batched.js';

function setup() {
  const registry = new Registry();
  const counter = batchedCounter({
    name: 'test_things_total',
    help: 'Things.',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const plain = batchedCounter({ name: 'test_plain_total', help: 'Plain.', registers: [registry] });
  const scrape = async () => parsePrometheusText(await registry.metrics());
  return { counter, plain, scrape };
}

describe('batched counters', () => {
  it('show every update made before a scrape, by label set, and keep counting after', async () => {
    const { counter, plain, scrape } = setup();
    const labels = { kind: 'a', outcome: 'ok' };
    counter.inc(labels);
    counter.inc(labels, 2);
    // A caller reusing its label object does not move counts already made.
    labels.outcome = 'error';
    counter.inc(labels);
    plain.inc();
    plain.inc(4);
    let samples = await scrape();
    expect(sampleValue(samples, 'test_things_total', { kind: 'a', outcome: 'ok' })).toBe(3);
    expect(sampleValue(samples, 'test_things_total', { kind: 'a', outcome: 'error' })).toBe(1);
    expect(sampleValue(samples, 'test_plain_total')).toBe(5);

    counter.inc({ kind: 'a', outcome: 'ok' });
    samples = await scrape();
    expect(sampleValue(samples, 'test_things_total', { kind: 'a', outcome: 'ok' })).toBe(4);
    // A scrape with nothing new changes nothing.
    expect(await scrape()).toEqual(samples);
  });

  it('refuses what prom-client would, at the call rather than at the scrape', async () => {
    const { counter, scrape } = setup();
    expect(() => counter.inc({ kind: 'a' }, -1)).toThrow(TypeError);
    expect(() => counter.inc({ kind: 'a' }, Number.NaN)).toThrow(TypeError);
    const samples = await scrape();
    // Nothing was recorded: no labelled series exists (an unlabelled counter starts at 0).
    expect(samples.filter((sample) => sample.name.startsWith('test_things'))).toEqual([]);
  });

  it('refuses a label the series does not declare, and later scrapes still work', async () => {
    const { counter, scrape } = setup();
    const extra = { kind: 'a', outcome: 'ok', extra: 'x' } as unknown as { kind: string };
    expect(() => counter.inc(extra)).toThrow(/no label named extra/);
    counter.inc({ kind: 'a', outcome: 'ok' });
    expect(sampleValue(await scrape(), 'test_things_total', { kind: 'a', outcome: 'ok' })).toBe(1);
    expect(sampleValue(await scrape(), 'test_things_total', { kind: 'a', outcome: 'ok' })).toBe(1);
  });

  it('keeps label sets apart as prom-client does, and shows a series counted at zero', async () => {
    const { counter } = setup();
    // Values that would run together under a plain separator, and an absent label against an
    // empty one.
    counter.inc({ kind: 'a\u0000', outcome: '' });
    counter.inc({ kind: 'a', outcome: '\u0000' }, 2);
    counter.inc({ kind: 'b' }, 3);
    counter.inc({ kind: 'b', outcome: '' }, 4);
    counter.inc({ kind: 'c', outcome: 'ok' }, 0);
    const { values } = await counter.counter.get();
    const byLabels = Object.fromEntries(
      values.map((sample) => [JSON.stringify(sample.labels), sample.value]),
    );
    expect(byLabels).toEqual({
      [JSON.stringify({ kind: 'a\u0000', outcome: '' })]: 1,
      [JSON.stringify({ kind: 'a', outcome: '\u0000' })]: 2,
      [JSON.stringify({ kind: 'b' })]: 3,
      [JSON.stringify({ kind: 'b', outcome: '' })]: 4,
      [JSON.stringify({ kind: 'c', outcome: 'ok' })]: 0,
    });
  });
});
