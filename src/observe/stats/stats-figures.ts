import { TOOL_CALL_OUTCOMES, type ToolCallOutcome } from '../turn-facts.js';
import { percentilesOf, type Percentiles } from './precision.js';
import type { Rollup } from './rollup.js';
import { COUNTER, modelName, parseName, toolName, type CounterKey } from './stats-names.js';

/** One `provider/model` over a span: upstream calls and their latencies (µs). */
export interface ModelFigures {
  calls: number;
  failed: number;
  timeToFirstToken: Percentiles | undefined;
  duration: Percentiles | undefined;
}

/** One tool over a span: calls by outcome and the duration (µs) of those that ran. */
export interface ToolFigures {
  calls: number;
  outcomes: Record<ToolCallOutcome, number>;
  duration: Percentiles | undefined;
}

/** Everything a span of rollups says, read into named figures. */
export interface StatsFigures {
  counters: Record<CounterKey, number>;
  models: Record<string, ModelFigures>;
  tools: Record<string, ToolFigures>;
  /** Distinct instances that reported in the span. */
  instances: number;
}

function counters(rollup: Rollup): Record<CounterKey, number> {
  const entries = Object.entries(COUNTER).map(([key, name]) => [
    key,
    rollup.counters.get(name) ?? 0,
  ]);
  return Object.fromEntries(entries) as Record<CounterKey, number>;
}

/** The names of models and tools that have any figure in the rollup, sorted. */
function keysOf(rollup: Rollup, kind: 'model' | 'tool'): string[] {
  const names = [...rollup.counters.keys(), ...rollup.buckets.keys()];
  const keys = new Set<string>();
  for (const name of names) {
    const parsed = parseName(name);
    if (parsed?.kind === kind) keys.add(parsed.key);
  }
  return [...keys].sort();
}

function series(rollup: Rollup, name: string): Percentiles | undefined {
  const counts = rollup.buckets.get(name);
  return counts ? percentilesOf(counts, rollup.maxima.get(name)) : undefined;
}

function modelFigures(rollup: Rollup, target: string): ModelFigures {
  return {
    calls: rollup.counters.get(modelName(target, 'calls')) ?? 0,
    failed: rollup.counters.get(modelName(target, 'failed')) ?? 0,
    timeToFirstToken: series(rollup, modelName(target, 'ttft')),
    duration: series(rollup, modelName(target, 'duration')),
  };
}

function toolFigures(rollup: Rollup, tool: string): ToolFigures {
  const outcomes = Object.fromEntries(
    TOOL_CALL_OUTCOMES.map((outcome) => [
      outcome,
      rollup.counters.get(toolName(tool, outcome)) ?? 0,
    ]),
  ) as Record<ToolCallOutcome, number>;
  const calls = Object.values(outcomes).reduce((sum, count) => sum + count, 0);
  return { calls, outcomes, duration: series(rollup, toolName(tool, 'duration')) };
}

/** Reads a merged rollup. Names this version does not know (a newer writer's) are ignored. */
export function figuresOf(rollup: Rollup): StatsFigures {
  const models = keysOf(rollup, 'model').map((key) => [key, modelFigures(rollup, key)]);
  const tools = keysOf(rollup, 'tool').map((key) => [key, toolFigures(rollup, key)]);
  return {
    counters: counters(rollup),
    models: Object.fromEntries(models) as Record<string, ModelFigures>,
    tools: Object.fromEntries(tools) as Record<string, ToolFigures>,
    instances: rollup.instances.size,
  };
}
