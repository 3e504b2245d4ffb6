import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { rampartVersion } from '../../core/version.js';
import { batchedCounter } from './batched.js';
import { bucketedHistogram } from './bucketed-histogram.js';

/**
 * Histogram buckets, in the unit of each series. Upstream model latency spans milliseconds (a
 * cache) to minutes (a long reasoning answer); tools are mostly fast lookups with a slow tail.
 */
const TTFT_SECONDS = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 8, 13, 20, 30, 60];
const CALL_SECONDS = [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300];
const TOOL_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const QUEUE_SECONDS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/** 100 tokens to about 1.6 million, doubling. */
const CONVERSATION_TOKENS = Array.from({ length: 15 }, (_, index) => 100 * 2 ** index);
/** A hundredth of a cent to $10. */
const CONVERSATION_USD = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
const CONVERSATION_TURNS = [1, 2, 3, 5, 8, 13, 21, 34, 55, 89];

/**
 * Every series Rampart exposes, on a registry of its own (never prom-client's global one), so
 * two instances in one process, as in tests, never share counts. Label values come from config
 * (providers, models, routes, budgets), the tool registry, or fixed enumerations: never from a
 * user, a session or a request. Counters and histograms updated per turn are batched into
 * prom-client (`batched.ts`); a scrape sees every update made before it.
 */
export function createMetricSet(options: {
  defaultMetrics: boolean;
  /** Runs before any per-turn series is read: it delivers the turns held back. */
  beforeRead?: () => void;
}) {
  const registry = new Registry();
  const registers = [registry];
  const batching = { registers, ...(options.beforeRead ? { beforeRead: options.beforeRead } : {}) };
  if (options.defaultMetrics) collectDefaultMetrics({ register: registry });
  const buildInfo = new Gauge({
    name: 'rampart_build_info',
    help: 'Always 1: the Rampart and Node.js versions of this instance, as labels.',
    labelNames: ['version', 'node'] as const,
    registers,
  });
  buildInfo.set({ version: rampartVersion() ?? 'unknown', node: process.versions.node }, 1);
  return {
    registry,
    timeToFirstToken: bucketedHistogram({
      name: 'rampart_model_time_to_first_token_seconds',
      help: 'Time from sending a model call to its first streamed event.',
      labelNames: ['provider', 'model', 'route'] as const,
      buckets: TTFT_SECONDS,
      ...batching,
    }),
    modelCallDuration: bucketedHistogram({
      name: 'rampart_model_call_duration_seconds',
      help: 'Duration of each upstream model call, by how it ended.',
      labelNames: ['provider', 'model', 'route', 'outcome'] as const,
      buckets: CALL_SECONDS,
      ...batching,
    }),
    modelCalls: batchedCounter({
      name: 'rampart_model_calls_total',
      help: 'Model call attempts: ok, failed, cancelled (the client left), or skipped without a call (breaker open, provider at capacity).',
      labelNames: ['provider', 'model', 'outcome'] as const,
      ...batching,
    }),
    turnDuration: bucketedHistogram({
      name: 'rampart_turn_duration_seconds',
      help: 'Duration of a whole turn, tool steps included.',
      labelNames: ['route', 'outcome'] as const,
      buckets: CALL_SECONDS,
      ...batching,
    }),
    turns: batchedCounter({
      name: 'rampart_turns_total',
      help: 'Turns by route and how they ended.',
      labelNames: ['route', 'outcome'] as const,
      ...batching,
    }),
    toolDuration: bucketedHistogram({
      name: 'rampart_tool_duration_seconds',
      help: 'Execution time of server-side tool calls.',
      labelNames: ['tool'] as const,
      buckets: TOOL_SECONDS,
      ...batching,
    }),
    toolCalls: batchedCounter({
      name: 'rampart_tool_calls_total',
      help: 'Tool calls by outcome: ok, error, invalid_arguments (malformed by the model), denied, timeout, cancelled (the client left).',
      labelNames: ['tool', 'outcome'] as const,
      ...batching,
    }),
    tokens: batchedCounter({
      name: 'rampart_tokens_total',
      help: 'Tokens by the model that used them and kind: input, output, cached, cache_write.',
      labelNames: ['provider', 'model', 'kind'] as const,
      ...batching,
    }),
    cost: batchedCounter({
      name: 'rampart_cost_usd_total',
      help: 'Spend in US dollars by model and component: model calls, tool executions, memory operations.',
      labelNames: ['provider', 'model', 'component'] as const,
      ...batching,
    }),
    conversationTokens: bucketedHistogram({
      name: 'rampart_conversation_tokens',
      help: 'Tokens per conversation, observed when the conversation ends.',
      buckets: CONVERSATION_TOKENS,
      ...batching,
    }),
    conversationCost: bucketedHistogram({
      name: 'rampart_conversation_cost_usd',
      help: 'Spend per conversation in US dollars, observed when the conversation ends.',
      buckets: CONVERSATION_USD,
      ...batching,
    }),
    conversationTurns: bucketedHistogram({
      name: 'rampart_conversation_turns',
      help: 'Turns per conversation, observed when the conversation ends.',
      buckets: CONVERSATION_TURNS,
      ...batching,
    }),
    requestErrors: batchedCounter({
      name: 'rampart_request_errors_total',
      help:
        'Requests answered with an error response, by HTTP route template and error code: ' +
        'those refused before any turn (a bad key, a malformed body, an unknown path) included.',
      labelNames: ['http_route', 'code'] as const,
      ...batching,
    }),
    feedback: batchedCounter({
      name: 'rampart_feedback_total',
      help: 'Explicit ratings of answers.',
      labelNames: ['rating'] as const,
      ...batching,
    }),
    retries: batchedCounter({
      name: 'rampart_retries_total',
      help: 'Turns that re-sent the user message just sent, or regenerated an answer.',
      ...batching,
    }),
    abandoned: batchedCounter({
      name: 'rampart_abandoned_total',
      help: 'Conversations abandoned: a stream the client dropped, or a user who left right after an error.',
      labelNames: ['reason'] as const,
      ...batching,
    }),
    guardVerdicts: batchedCounter({
      name: 'rampart_guard_verdicts_total',
      help: 'Texts the injection check flagged, by where they came from and what was done.',
      labelNames: ['source', 'action'] as const,
      ...batching,
    }),
    redactions: batchedCounter({
      name: 'rampart_redactions_total',
      help: 'Values redacted from answers, by type or data class.',
      labelNames: ['type'] as const,
      ...batching,
    }),
    leaks: batchedCounter({
      name: 'rampart_leaks_total',
      help: 'Answers cut for repeating the system prompt, by how the leak was seen.',
      labelNames: ['kind'] as const,
      ...batching,
    }),
    cacheHits: batchedCounter({
      name: 'rampart_cache_hits_total',
      help: 'Answers served from the degraded-mode cache, and model calls that read the provider prompt cache.',
      labelNames: ['kind'] as const,
      ...batching,
    }),
    queueWait: bucketedHistogram({
      name: 'rampart_queue_wait_seconds',
      help: 'Time spent waiting for room under a rate limit or concurrency cap.',
      labelNames: ['outcome'] as const,
      buckets: QUEUE_SECONDS,
      ...batching,
    }),
    rateLimitRejections: batchedCounter({
      name: 'rampart_rate_limit_rejections_total',
      help: 'Turns refused by a rate limit or a full queue.',
      labelNames: ['route'] as const,
      ...batching,
    }),
    fallbacks: batchedCounter({
      name: 'rampart_fallbacks_total',
      help: 'Times an answer moved on from a failing target to the next one of its route.',
      labelNames: ['route'] as const,
      ...batching,
    }),
    breakerState: new Gauge({
      name: 'rampart_breaker_state',
      help: 'Circuit breaker of each route target, as this instance last saw it: 0 closed, 1 half-open, 2 open.',
      labelNames: ['target'] as const,
      registers,
    }),
    budgetExhausted: batchedCounter({
      name: 'rampart_budget_exhausted_total',
      help: 'Turns that reached a budget, by budget and the action taken.',
      labelNames: ['budget', 'action'] as const,
      ...batching,
    }),
    traceSpans: batchedCounter({
      name: 'rampart_trace_spans_total',
      help: 'Spans of sampled turns: queued for export, exported, or dropped by a failed export.',
      labelNames: ['outcome'] as const,
      ...batching,
    }),
    statsWrites: batchedCounter({
      name: 'rampart_stats_writes_total',
      help: 'Writes of the stats rollups to their store, by outcome (a failed write is retried).',
      labelNames: ['outcome'] as const,
      ...batching,
    }),
    statsMinutesDropped: batchedCounter({
      name: 'rampart_stats_minutes_dropped_total',
      help: 'Minutes of stats given up because the store could not take them in time.',
      ...batching,
    }),
    buildInfo,
  };
}

export type MetricSet = ReturnType<typeof createMetricSet>;
