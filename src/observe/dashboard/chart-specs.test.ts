import { describe, expect, it } from 'vitest';

// A browser module without types: imported by URL so the compiler does not look for them.
const specsUrl = new URL('./public/chart-specs.js', import.meta.url).href;
const formatUrl = new URL('./public/format.js', import.meta.url).href;
const { chartSpecs, windowTotals } = await import(specsUrl);
const format = await import(formatUrl);

const timeline = {
  points: [
    {
      at: '2026-12-05T10:00:00.000Z',
      turns: 4,
      errors: 1,
      models: {
        'simulated/rampart-sim-1': {
          calls: 4,
          duration_ms: { p50: 100, p95: 180, p99: 190 },
          time_to_first_token_ms: { p50: 10, p95: 20, p99: 30 },
        },
      },
      tools: { calculator: { calls: 4, ok: 3, duration_ms: { p50: 1, p95: 2, p99: 3 } } },
      tokens: 900,
      cost_usd: 0.003,
      conversations: { ended: 2, turns: 5, tokens: 800, cost_usd: 0.002 },
      feedback: { up: 2, down: 1 },
      retries: 1,
      abandoned: { stream_dropped: 1, left_after_error: 1 },
      cache_hits: 2,
      guard: { flagged: 1, redactions: 3 },
    },
    {
      at: '2026-12-05T10:01:00.000Z',
      turns: 0,
      errors: 0,
      models: {},
      tools: {},
      tokens: 0,
      cost_usd: 0,
      conversations: { ended: 0, turns: 0, tokens: 0, cost_usd: 0 },
      feedback: { up: 0, down: 0 },
      retries: 0,
      abandoned: { stream_dropped: 0, left_after_error: 0 },
      cache_hits: 0,
      guard: { flagged: 0, redactions: 0 },
    },
  ],
};

describe('chart specs from a stats timeline', () => {
  const specs = chartSpecs(timeline);
  const labels = (id: string) => specs[id].series.map((series: any) => series.label);

  it('draws three percentile lines per model, with gaps where a step had no calls', () => {
    expect(labels('model-latency')).toEqual([
      'simulated/rampart-sim-1 p50',
      'simulated/rampart-sim-1 p95',
      'simulated/rampart-sim-1 p99',
    ]);
    expect(specs['model-latency'].values).toEqual([
      [100, null],
      [180, null],
      [190, null],
    ]);
    expect(specs['model-ttft'].values[1]).toEqual([20, null]);
  });

  it('gives each tool its success rate in percent, none for a step without calls', () => {
    expect(labels('tool-success')).toEqual(['calculator']);
    expect(specs['tool-success'].values).toEqual([[75, null]]);
    expect(labels('tool-latency')).toEqual(['calculator p50', 'calculator p95', 'calculator p99']);
  });

  it('averages tokens and cost over the conversations that ended in each step', () => {
    expect(labels('conversations')).toEqual(['tokens per conversation', 'cost per conversation']);
    expect(specs.conversations.values).toEqual([
      [400, null],
      [0.001, null],
    ]);
    expect(specs.conversations.series[1].axis).toBe('right');
  });

  it('counts satisfaction signals, cache hits and guard activity per step', () => {
    expect(labels('satisfaction')).toEqual([
      'rated up',
      'rated down',
      'retries',
      'streams dropped',
      'left after error',
    ]);
    expect(specs.satisfaction.values).toEqual([
      [2, 0],
      [1, 0],
      [1, 0],
      [1, 0],
      [1, 0],
    ]);
    expect(specs['cache-guard'].values).toEqual([
      [2, 0],
      [1, 0],
      [3, 0],
    ]);
    expect(specs.traffic.values).toEqual([
      [4, 0],
      [1, 0],
    ]);
  });

  it('has no series, and says why, for an empty window', () => {
    const empty = chartSpecs({ points: [] });
    for (const spec of Object.values<any>(empty)) {
      expect(spec.series).toEqual([]);
      expect(spec.empty).toMatch(/^No .+ in this window\.$/);
    }
  });

  it('adds up the window for the tiles', () => {
    expect(windowTotals(timeline)).toEqual({
      turns: 4,
      errors: 1,
      tokens: 900,
      costUsd: 0.003,
      toolCalls: 4,
      toolOk: 3,
      conversations: 2,
      conversationTurns: 5,
      up: 2,
      down: 1,
      retries: 1,
      abandoned: 2,
    });
  });
});

describe('number formats', () => {
  it('prints durations, dollars, counts and shares the way the axes show them', () => {
    expect([0, 12.4, 999, 1234, 6000, 15_500].map(format.duration)).toEqual([
      '0 ms',
      '12 ms',
      '999 ms',
      '1.23 s',
      '6 s',
      '15.5 s',
    ]);
    expect([0, 0.0123, 1.5, 0.000012, 123.4, 2e-8].map(format.dollars)).toEqual([
      '$0',
      '$0.0123',
      '$1.5',
      '$0.000012',
      '$123',
      '<$0.000001',
    ]);
    expect([12_345, 980, null].map(format.count)).toEqual(['12.3K', '980', '–']);
    expect([97.54, 100, 0, 80].map(format.percent)).toEqual(['97.5%', '100%', '0%', '80%']);
  });
});
