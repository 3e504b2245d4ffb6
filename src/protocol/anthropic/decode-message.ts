import {
  jsonDepthExceeds,
  MAX_JSON_DEPTH,
  RampartError,
  type ModelEvent,
  type Usage,
} from '../../core/index.js';
import { fromAnthropicError } from './error-type.js';
import { toFinishEvent } from './stop-reason.js';
import { isJsonObject, tooDeepInput } from './json-value.js';
import { countOf } from './wire-usage.js';

function usageOf(raw: unknown): Usage | undefined {
  if (!isJsonObject(raw)) return undefined;
  const usage: Usage = {
    inputTokens: countOf(raw.input_tokens) ?? 0,
    outputTokens: countOf(raw.output_tokens) ?? 0,
  };
  const cached = countOf(raw.cache_read_input_tokens) ?? 0;
  const written = countOf(raw.cache_creation_input_tokens) ?? 0;
  if (cached > 0) usage.cachedInputTokens = cached;
  if (written > 0) usage.cacheWriteInputTokens = written;
  return usage;
}

function blockEvents(block: unknown, toolIndex: number): ModelEvent[] {
  if (!isJsonObject(block)) return [];
  if (block.type === 'text' && typeof block.text === 'string' && block.text !== '') {
    return [{ type: 'text-delta', text: block.text }];
  }
  if (block.type !== 'tool_use') return [];
  const id = typeof block.id === 'string' ? block.id : '';
  const name = typeof block.name === 'string' ? block.name : '';
  const text = JSON.stringify(isJsonObject(block.input) ? block.input : {});
  return [
    { type: 'tool-call-start', index: toolIndex, id, name },
    { type: 'tool-call-delta', index: toolIndex, argumentsDelta: text },
    { type: 'tool-call-end', index: toolIndex, id, name, arguments: text },
  ];
}

function badResponse(
  error = new RampartError(
    'RAMPART_UPSTREAM_BAD_RESPONSE',
    'The upstream response is not an Anthropic message',
  ),
): ModelEvent[] {
  return [{ type: 'error', error, beforeContent: true }];
}

/** A `tool_use` input too deep to serialise again without risking the stack. */
function hasTooDeepInput(content: unknown[]): boolean {
  return content.some(
    (block) =>
      isJsonObject(block) &&
      block.type === 'tool_use' &&
      jsonDepthExceeds(block.input, MAX_JSON_DEPTH),
  );
}

/**
 * Decodes a non-streaming Anthropic response (a `message` object, or an error body) into the same
 * neutral events a stream would give. Never throws: a body of the wrong shape, or a tool input
 * nested deeper than `MAX_JSON_DEPTH`, becomes an `error` event with
 * `RAMPART_UPSTREAM_BAD_RESPONSE`.
 */
export function decodeMessage(json: unknown): ModelEvent[] {
  if (isJsonObject(json) && json.type === 'error') {
    const body = isJsonObject(json.error) ? json.error : {};
    return [
      { type: 'error', error: fromAnthropicError(body.type, body.message), beforeContent: true },
    ];
  }
  if (!isJsonObject(json) || !Array.isArray(json.content)) return badResponse();
  if (hasTooDeepInput(json.content)) return badResponse(tooDeepInput());

  const events: ModelEvent[] = [];
  let tools = 0;
  for (const block of json.content) {
    const decoded = blockEvents(block, tools);
    if (decoded[0]?.type === 'tool-call-start') tools += 1;
    events.push(...decoded);
  }
  const usage = usageOf(json.usage);
  if (usage !== undefined) events.push({ type: 'usage', usage });
  events.push(toFinishEvent(json.stop_reason, json.stop_sequence));
  return events;
}
