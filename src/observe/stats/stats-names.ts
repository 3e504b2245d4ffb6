import { boundedMemo } from '../bounded-memo.js';
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
 * The names of one target's or tool's fields, made once: a turn asks for several per model call,
 * and a name built, encoded and hashed again each time was a visible part of recording a turn.
 */
function fieldNames<F extends string>(kind: 'model' | 'tool', fields: readonly F[]) {
  return boundedMemo((key: string) => {
    const encoded = encodeURIComponent(key);
    const names = fields.map((field) => [field, `${kind}:${encoded}:${field}`]);
    return Object.fromEntries(names) as Record<F, string>;
  });
}

const modelNames = fieldNames('model', MODEL_FIELDS);
const toolNames = fieldNames('tool', TOOL_FIELDS);

export function modelName(target: string, field: ModelField): string {
  return modelNames(target)[field];
}

export function toolName(tool: string, field: ToolField): string {
  return toolNames(tool)[field];
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
