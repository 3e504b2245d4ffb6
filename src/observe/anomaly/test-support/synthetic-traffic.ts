import { createPrng, hashText, type Prng } from '../../../providers/simulated/prng.js';
import type { WindowReader, WindowSummary } from '../../window-summary.js';

/**
 * Synthetic traffic for the detector's tests: per-minute buckets drawn from a seeded PRNG (one
 * stream per minute, so any window reads the same numbers in any order), shaped by functions
 * of time that the tests bend into daily cycles, steps, drifts and spikes.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** What traffic looks like at an instant (wall-clock ms). */
export interface TrafficShape {
  /** Mean turns per minute. */
  turnsPerMinute: (at: number) => number;
  /** Per tool: mean calls per turn and the chance a call fails. */
  tools: Record<string, { callsPerTurn: number; errorRate: (at: number) => number }>;
  /** Per `provider/model`: mean calls per turn and the median call duration. */
  models: Record<string, { callsPerTurn: number; latencyMs: (at: number) => number }>;
  /** Mean fallbacks per turn. */
  fallbacksPerTurn: (at: number) => number;
  /** Mean turns of a conversation. */
  conversationTurns: (at: number) => number;
  /** Mean cost of a turn in nanodollars. */
  costPerTurnNanos: (at: number) => number;
}

interface Bucket {
  turns: number;
  tools: Record<string, { calls: number; errors: number }>;
  latencies: Record<string, number[]>;
  modelCalls: number;
  fallbacks: number;
  ended: number;
  endedTurns: number;
  costNanos: number;
}

/** A Poisson draw: Knuth's product method below 30, a rounded normal above. */
function poisson(prng: Prng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal(prng)));
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = prng.next(); product > limit; product *= prng.next()) count += 1;
  return count;
}

/** A standard normal draw (Box-Muller). */
function normal(prng: Prng): number {
  const u = Math.max(prng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * prng.next());
}

function binomial(prng: Prng, trials: number, chance: number): number {
  let hits = 0;
  for (let trial = 0; trial < trials; trial += 1) if (prng.next() < chance) hits += 1;
  return hits;
}

/** The 95th percentile by the nearest-rank method. */
export function p95(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1];
}

/** A WindowReader over synthetic traffic; counts the summaries it was asked for. */
export class SyntheticTraffic implements WindowReader {
  readonly #buckets = new Map<number, Bucket>();
  summaries = 0;

  constructor(
    private readonly shape: TrafficShape,
    private readonly seed = 7,
  ) {}

  async summarize(from: number, to: number): Promise<WindowSummary> {
    this.summaries += 1;
    const summary: WindowSummary = {
      from,
      to,
      turns: 0,
      tools: {},
      models: {},
      modelCalls: 0,
      fallbacks: 0,
      conversations: { ended: 0, turns: 0 },
      costNanos: 0,
    };
    const latencies: Record<string, number[]> = {};
    for (let minute = Math.ceil(from / MINUTE_MS); minute * MINUTE_MS < to; minute += 1) {
      const bucket = this.#bucket(minute);
      summary.turns += bucket.turns;
      summary.modelCalls += bucket.modelCalls;
      summary.fallbacks += bucket.fallbacks;
      summary.conversations.ended += bucket.ended;
      summary.conversations.turns += bucket.endedTurns;
      summary.costNanos += bucket.costNanos;
      for (const [name, tool] of Object.entries(bucket.tools)) {
        const total = (summary.tools[name] ??= { calls: 0, errors: 0 });
        total.calls += tool.calls;
        total.errors += tool.errors;
      }
      for (const [name, values] of Object.entries(bucket.latencies)) {
        (latencies[name] ??= []).push(...values);
      }
    }
    for (const [name, values] of Object.entries(latencies)) {
      if (values.length > 0)
        summary.models[name] = { calls: values.length, latencyP95Ms: p95(values) };
    }
    return summary;
  }

  #bucket(minute: number): Bucket {
    let bucket = this.#buckets.get(minute);
    if (!bucket) this.#buckets.set(minute, (bucket = this.#draw(minute)));
    return bucket;
  }

  #draw(minute: number): Bucket {
    const prng = createPrng(hashText(String(minute), this.seed));
    const at = minute * MINUTE_MS;
    const shape = this.shape;
    const turns = poisson(prng, shape.turnsPerMinute(at));
    const bucket: Bucket = {
      turns,
      tools: {},
      latencies: {},
      modelCalls: 0,
      fallbacks: poisson(prng, turns * shape.fallbacksPerTurn(at)),
      ended: 0,
      endedTurns: 0,
      costNanos: 0,
    };
    for (const [name, tool] of Object.entries(shape.tools)) {
      const calls = poisson(prng, turns * tool.callsPerTurn);
      if (calls > 0)
        bucket.tools[name] = { calls, errors: binomial(prng, calls, tool.errorRate(at)) };
    }
    for (const [name, model] of Object.entries(shape.models)) {
      const calls = poisson(prng, turns * model.callsPerTurn);
      const median = model.latencyMs(at);
      // Log-normal durations: a long right tail, as real model calls have.
      bucket.latencies[name] = Array.from(
        { length: calls },
        () => median * Math.exp(0.3 * normal(prng)),
      );
      bucket.modelCalls += calls;
    }
    const length = shape.conversationTurns(at);
    bucket.ended = poisson(prng, turns / length);
    for (let conversation = 0; conversation < bucket.ended; conversation += 1) {
      bucket.endedTurns += 1 + poisson(prng, length - 1);
    }
    const cost = shape.costPerTurnNanos(at);
    for (let turn = 0; turn < turns; turn += 1) {
      bucket.costNanos += Math.round(cost * Math.exp(0.2 * normal(prng)));
    }
    return bucket;
  }
}

/** Hour of the UTC day as a fraction, 0 to 24. */
function hourOfDay(at: number): number {
  return (at % DAY_MS) / HOUR_MS;
}

/** 1 + amplitude × a sine over the day peaking at 14:00 UTC. */
export function dailyCycle(amplitude: number) {
  return (at: number) => 1 + amplitude * Math.sin((2 * Math.PI * (hourOfDay(at) - 8)) / 24);
}

/**
 * A normal week: volume swings ±60 % over the day, latency ±25 % with it, conversation length
 * ±15 %; two tools and two models with steady error rates.
 */
export function normalTraffic(): TrafficShape {
  const load = dailyCycle(0.6);
  const slower = dailyCycle(0.25);
  const longer = dailyCycle(0.15);
  return {
    turnsPerMinute: (at) => 10 * load(at),
    tools: {
      search: { callsPerTurn: 0.5, errorRate: () => 0.02 },
      weather: { callsPerTurn: 0.2, errorRate: () => 0.05 },
    },
    models: {
      'sim/fast': { callsPerTurn: 1, latencyMs: (at) => 800 * slower(at) },
      'sim/smart': { callsPerTurn: 0.25, latencyMs: (at) => 2_500 * slower(at) },
    },
    fallbacksPerTurn: () => 0.02,
    conversationTurns: (at) => 4 * longer(at),
    costPerTurnNanos: () => 2_000_000,
  };
}

/** `during` between `from` (inclusive) and `to` (exclusive), `otherwise` else. */
export function between(
  from: number,
  to: number,
  during: (at: number) => number,
  otherwise: (at: number) => number,
) {
  return (at: number) => (at >= from && at < to ? during(at) : otherwise(at));
}
