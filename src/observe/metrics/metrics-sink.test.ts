import { describe, expect, it } from 'vitest';
import {
  parsePrometheusText,
  sampleSum,
  sampleValue,
} from '../../app/test-support/prometheus-text.js';
import { Telemetry } from '../telemetry.js';
import { handTurn } from '../test-support/turns.js';
import { createMetricSet } from './metric-set.js';
import { metricsSink } from './metrics-sink.js';

function setup() {
  const metrics = createMetricSet({ defaultMetrics: false });
  const telemetry = new Telemetry({ now: () => 0 });
  telemetry.subscribe(metricsSink(metrics));
  const scrape = async () => parsePrometheusText(await metrics.registry.metrics());
  return { telemetry, scrape };
}

describe('metricsSink', () => {
  it('counts what the guard, the caches and the budgets did on a turn', async () => {
    const { telemetry, scrape } = setup();
    const turn = handTurn();
    turn.guard.flagged.push(
      { source: 'user', action: 'block', score: 0.9, rules: ['override'] },
      { source: 'tool', action: 'fence', score: 0.7, rules: ['role'] },
    );
    turn.guard.redactions = { email: 2, card: 1 };
    turn.guard.leak = 'canary';
    turn.degraded = { source: 'cache', storedAt: '2026-01-01T00:00:00Z' };
    turn.modelUsage.push({
      target: 'openai/gpt-4o',
      provider: 'openai',
      model: 'gpt-4o',
      usage: {
        inputTokens: 100,
        outputTokens: 20,
        cachedInputTokens: 400,
        cacheWriteInputTokens: 5,
      },
    });
    turn.budget.exhausted = { budget: 'daily', action: 'downgrade' };
    telemetry.emit({ type: 'turn', at: 0, durationMs: 1_500, turn, streamed: false, retry: false });

    const samples = await scrape();
    expect(
      sampleValue(samples, 'rampart_guard_verdicts_total', { source: 'user', action: 'block' }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'rampart_guard_verdicts_total', { source: 'tool', action: 'fence' }),
    ).toBe(1);
    expect(sampleValue(samples, 'rampart_redactions_total', { type: 'email' })).toBe(2);
    expect(sampleValue(samples, 'rampart_redactions_total', { type: 'card' })).toBe(1);
    expect(sampleValue(samples, 'rampart_leaks_total', { kind: 'canary' })).toBe(1);
    expect(sampleValue(samples, 'rampart_cache_hits_total', { kind: 'degraded_answer' })).toBe(1);
    expect(sampleValue(samples, 'rampart_cache_hits_total', { kind: 'prompt_cache' })).toBe(1);
    const tokens = (kind: string) =>
      sampleValue(samples, 'rampart_tokens_total', { model: 'gpt-4o', kind });
    expect([tokens('input'), tokens('output'), tokens('cached'), tokens('cache_write')]).toEqual([
      100, 20, 400, 5,
    ]);
    expect(
      sampleValue(samples, 'rampart_budget_exhausted_total', {
        budget: 'daily',
        action: 'downgrade',
      }),
    ).toBe(1);
    // A turn refused before routing is labelled `none`, not left unlabelled.
    expect(sampleValue(samples, 'rampart_turns_total', { route: 'none', outcome: 'ok' })).toBe(1);
    // The duration is the one measured when the turn settled, not when the sink got to it.
    expect(
      sampleValue(samples, 'rampart_turn_duration_seconds_sum', { route: 'none', outcome: 'ok' }),
    ).toBe(1.5);
  });

  it('never makes a label of a tool name the model made up, whatever stopped the call', async () => {
    const { telemetry, scrape } = setup();
    const turn = handTurn();
    const call = (
      name: string,
      known: boolean,
      errorCode?: 'RAMPART_BUDGET_EXHAUSTED' | 'RAMPART_CLIENT_CLOSED' | 'RAMPART_TOOL_NOT_FOUND',
    ) => ({
      callId: name,
      name,
      known,
      ok: errorCode === undefined,
      durationMs: errorCode ? 0 : 12,
      errorCode,
    });
    turn.toolCalls.push(
      call('invented_1', false, 'RAMPART_BUDGET_EXHAUSTED'),
      call('invented_2', false, 'RAMPART_CLIENT_CLOSED'),
      call('invented_3', false, 'RAMPART_TOOL_NOT_FOUND'),
      call('lookup', true, 'RAMPART_CLIENT_CLOSED'),
      call('lookup', true),
    );
    turn.modelCalls.push({
      provider: 'sim',
      model: 'm',
      attempt: 1,
      outcome: 'failed',
      continuation: false,
      durationMs: 40,
      timeToFirstEventMs: 5,
      usage: undefined,
      errorCode: 'RAMPART_CLIENT_CLOSED',
    });
    telemetry.emit({ type: 'turn', at: 0, durationMs: 10, turn, streamed: true, retry: false });
    const samples = await scrape();
    const tools = new Set(
      samples.filter((s) => s.name.startsWith('rampart_tool_')).map((s) => s.labels.tool),
    );
    expect([...tools].sort()).toEqual(['(unknown)', 'lookup']);
    const calls = (tool: string, outcome: string) =>
      sampleValue(samples, 'rampart_tool_calls_total', { tool, outcome });
    expect([
      calls('(unknown)', 'denied'),
      calls('(unknown)', 'cancelled'),
      calls('(unknown)', 'invalid_arguments'),
    ]).toEqual([1, 1, 1]);
    expect([calls('lookup', 'cancelled'), calls('lookup', 'ok')]).toEqual([1, 1]);
    // Only the lookup that ran to its end is timed.
    expect(sampleSum(samples, 'rampart_tool_duration_seconds_count')).toBe(1);
    expect(sampleValue(samples, 'rampart_model_calls_total', { outcome: 'cancelled' })).toBe(1);
    expect(sampleValue(samples, 'rampart_model_calls_total', { outcome: 'failed' })).toBe(0);
  });

  it('prices tools and memory against the target that answered the turn', async () => {
    const { telemetry, scrape } = setup();
    const turn = handTurn();
    turn.servedBy = { provider: {} as never, model: 'claude/v2', id: 'anthropic/claude/v2' };
    turn.cost = {
      model: 3_000_000,
      tools: 2_000_000,
      memory: 500_000,
      total: 5_500_000,
      byTarget: { 'anthropic/claude/v2': 3_000_000 },
      unpriced: [],
    };
    telemetry.emit({ type: 'turn', at: 0, durationMs: 10, turn, streamed: true, retry: true });
    const samples = await scrape();
    const cost = (component: string) =>
      sampleValue(samples, 'rampart_cost_usd_total', {
        provider: 'anthropic',
        model: 'claude/v2',
        component,
      });
    expect([cost('model'), cost('tools'), cost('memory')]).toEqual([0.003, 0.002, 0.0005]);
    expect(sampleValue(samples, 'rampart_retries_total')).toBe(1);
  });

  it('observes ended conversations, ratings, queue waits and breaker changes', async () => {
    const { telemetry, scrape } = setup();
    telemetry.emit({
      type: 'conversation',
      at: 0,
      turns: 4,
      tokens: 3_000,
      costNanos: 20_000_000,
      abandonedAfterError: true,
    });
    telemetry.emit({
      type: 'conversation',
      at: 0,
      turns: 1,
      tokens: 50,
      costNanos: 0,
      abandonedAfterError: false,
    });
    telemetry.emit({ type: 'feedback', at: 0, rating: 'down', hasComment: true });
    telemetry.emit({ type: 'queue', at: 0, waitedMs: 300, outcome: 'admitted' });
    telemetry.emit({ type: 'breaker', at: 0, target: 'openai/gpt-4o', state: 'open' });
    telemetry.emit({ type: 'breaker', at: 0, target: 'openai/gpt-4o', state: 'half-open' });

    const samples = await scrape();
    expect(sampleValue(samples, 'rampart_conversation_turns_count')).toBe(2);
    expect(sampleValue(samples, 'rampart_conversation_turns_sum')).toBe(5);
    expect(sampleValue(samples, 'rampart_conversation_tokens_bucket', { le: '100' })).toBe(1);
    expect(sampleValue(samples, 'rampart_conversation_tokens_bucket', { le: '3200' })).toBe(2);
    expect(sampleValue(samples, 'rampart_conversation_cost_usd_sum')).toBeCloseTo(0.02, 12);
    expect(sampleValue(samples, 'rampart_abandoned_total', { reason: 'left_after_error' })).toBe(1);
    expect(sampleValue(samples, 'rampart_feedback_total', { rating: 'down' })).toBe(1);
    expect(
      sampleValue(samples, 'rampart_queue_wait_seconds_bucket', {
        outcome: 'admitted',
        le: '0.25',
      }),
    ).toBe(0);
    expect(
      sampleValue(samples, 'rampart_queue_wait_seconds_bucket', { outcome: 'admitted', le: '0.5' }),
    ).toBe(1);
    expect(sampleValue(samples, 'rampart_breaker_state', { target: 'openai/gpt-4o' })).toBe(1);
    expect(sampleSum(samples, 'rampart_turns_total')).toBe(0);
  });

  it("counts monitoring's own exports, and says which build is running", async () => {
    const { telemetry, scrape } = setup();
    telemetry.emit({ type: 'spans', at: 0, outcome: 'queued', count: 7 });
    telemetry.emit({ type: 'spans', at: 0, outcome: 'exported', count: 4 });
    telemetry.emit({ type: 'spans', at: 0, outcome: 'failed', count: 2 });
    telemetry.emit({ type: 'stats-flush', at: 0, written: 3, failed: 0, droppedMinutes: 0 });
    telemetry.emit({ type: 'stats-flush', at: 0, written: 0, failed: 1, droppedMinutes: 2 });
    const samples = await scrape();
    expect(sampleValue(samples, 'rampart_trace_spans_total', { outcome: 'queued' })).toBe(7);
    expect(sampleValue(samples, 'rampart_trace_spans_total', { outcome: 'exported' })).toBe(4);
    expect(sampleValue(samples, 'rampart_trace_spans_total', { outcome: 'failed' })).toBe(2);
    expect(sampleValue(samples, 'rampart_stats_writes_total', { outcome: 'ok' })).toBe(3);
    expect(sampleValue(samples, 'rampart_stats_writes_total', { outcome: 'failed' })).toBe(1);
    expect(sampleValue(samples, 'rampart_stats_minutes_dropped_total')).toBe(2);
    const build = samples.filter((sample) => sample.name === 'rampart_build_info');
    expect(build).toHaveLength(1);
    expect(build[0]).toMatchObject({
      value: 1,
      labels: { version: '0.1.0', node: process.versions.node },
    });
  });

  it('keeps two instances in one process apart', async () => {
    const one = setup();
    const two = setup();
    one.telemetry.emit({ type: 'feedback', at: 0, rating: 'up', hasComment: false });
    expect(sampleValue(await one.scrape(), 'rampart_feedback_total', { rating: 'up' })).toBe(1);
    expect(sampleValue(await two.scrape(), 'rampart_feedback_total', { rating: 'up' })).toBe(0);
  });

  it('never lets a failing sink fail the emitter or the other sinks', () => {
    const telemetry = new Telemetry();
    const seen: string[] = [];
    telemetry.subscribe({
      name: 'broken',
      handle: () => {
        throw new Error('bug');
      },
    });
    telemetry.subscribe({ name: 'fine', handle: (event) => seen.push(event.type) });
    expect(() =>
      telemetry.emit({ type: 'feedback', at: 0, rating: 'up', hasComment: false }),
    ).not.toThrow();
    expect(seen).toEqual(['feedback']);
  });
});
