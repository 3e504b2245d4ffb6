import { TOOL_CALL_OUTCOMES, type ToolCallOutcome } from '../turn-facts.js';

/**
 * The names rollups are stored under. Plain counters have fixed names; per-model and per-tool
 * figures are `model:<target>:<field>` and `tool:<name>:<field>` with the target or tool name
 * URI-encoded, so no `:` (or `#`, which Redis uses after a series name) of a name can be taken
 * for a separator.
 */

export const COUNTER = {
  turns: 'turns',
  errors: 'turns:error',
  clientClosed: 'turns:client_closed',
  tokens: 'tokens',
  costNanos: 'cost_nanos',
  modelCalls: 'model_calls',
  fallbacks: 'fallbacks',
  retries: 'retries',
  streamDropped: 'abandoned:stream_dropped',
  leftAfterError: 'abandoned:left_after_error',
  cacheHits: 'cache_hits',
  guardFlagged: 'guard:flagged',
  guardRedactions: 'guard:redactions',
  feedbackUp: 'feedback:up',
  feedbackDown: 'feedback:down',
  conversationsEnded: 'conversations:ended',
  conversationTurns: 'conversations:turns',
  conversationTokens: 'conversations:tokens',
  conversationCostNanos: 'conversations:cost_nanos',
} as const;

export type CounterKey = keyof typeof COUNTER;

/** A model's figures; the list is the type, so a name exists for every field. */
const MODEL_FIELDS = ['calls', 'failed', 'ttft', 'duration'] as const;
export type ModelField = (typeof MODEL_FIELDS)[number];
export type ToolField = ToolCallOutcome | 'duration';
const TOOL_FIELDS: readonly ToolField[] = [...TOOL_CALL_OUTCOMES, 'duration'];

/** Where a model's or a tool's figures go once a minute has too many distinct names. */
export const OTHER = '(other)';

/**
 * Most targets or tools whose names are kept made. Targets come from the config and tool labels
 * from the registry, so a process sees few; the bound only caps a pathological one.
 */
const MAX_KEPT = 1_024;

/**
 * The names of one target's or tool's fields, made once: a turn asks for several per model call,
 * and a name built, encoded and hashed again each time was a visible part of recording a turn.
 */
function namesOf<F extends string>(
  kept: Map<string, Record<F, string>>,
  kind: 'model' | 'tool',
  key: string,
  fields: readonly string[],
): Record<F, string> {
  let names = kept.get(key);
  if (names !== undefined) return names;
  const encoded = encodeURIComponent(key);
  names = Object.fromEntries(
    fields.map((field) => [field, `${kind}:${encoded}:${field}`]),
  ) as Record<F, string>;
  if (kept.size >= MAX_KEPT) kept.clear();
  kept.set(key, names);
  return names;
}

const modelNames = new Map<string, Record<ModelField, string>>();
const toolNames = new Map<string, Record<ToolField, string>>();

export function modelName(target: string, field: ModelField): string {
  return namesOf(modelNames, 'model', target, MODEL_FIELDS)[field];
}

export function toolName(tool: string, field: ToolField): string {
  return namesOf(toolNames, 'tool', tool, TOOL_FIELDS)[field];
}

export type ParsedName =
  | { kind: 'model'; key: string; field: ModelField }
  | { kind: 'tool'; key: string; field: ToolField };

/** A per-model or per-tool name taken apart; undefined for anything else (a plain counter). */
export function parseName(name: string): ParsedName | undefined {
  const parts = name.split(':');
  if (parts.length !== 3) return undefined;
  const [kind, encoded, field] = parts as [string, string, string];
  let key: string;
  try {
    key = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  if (kind === 'model' && (MODEL_FIELDS as readonly string[]).includes(field))
    return { kind, key, field: field as ModelField };
  if (kind === 'tool' && (TOOL_FIELDS as readonly string[]).includes(field))
    return { kind, key, field: field as ToolField };
  return undefined;
}
