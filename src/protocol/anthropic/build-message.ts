import type { CollectedResponse, ToolCall } from '../../core/index.js';
import { parseJsonObject } from './json-value.js';
import { toStopFields } from './stop-reason.js';
import type { AnthropicMessageObject, AnthropicToolUseBlock } from './wire-types.js';
import { toAnthropicUsage } from './wire-usage.js';

export interface BuildMessageOptions {
  id: string;
  model: string;
}

function parsedInput(call: ToolCall): Record<string, unknown> | undefined {
  if (call.arguments.trim() === '') return {};
  return parseJsonObject(call.arguments);
}

function toolUseBlocks(calls: ToolCall[]): AnthropicToolUseBlock[] {
  const blocks: AnthropicToolUseBlock[] = [];
  for (const call of calls) {
    const input = parsedInput(call);
    if (input !== undefined) blocks.push({ type: 'tool_use', id: call.id, name: call.name, input });
  }
  return blocks;
}

/**
 * The non-streaming Anthropic `message` for a collected answer. A tool call whose argument text
 * is not a complete JSON object (typically one cut by the token limit), or is nested deeper than
 * `MAX_JSON_DEPTH`, is left out rather than given an `input` the model never wrote; with finish
 * `length` the stop reason is `max_tokens` (P11). The caller handles `collected.error` before
 * building a message.
 */
export function buildMessage(
  options: BuildMessageOptions,
  collected: CollectedResponse,
): AnthropicMessageObject {
  const tools = toolUseBlocks(collected.toolCalls);
  const content: AnthropicMessageObject['content'] = [];
  if (collected.text !== '') content.push({ type: 'text', text: collected.text });
  content.push(...tools);
  return {
    id: options.id,
    type: 'message',
    role: 'assistant',
    model: options.model,
    content,
    ...toStopFields(
      { reason: collected.finishReason, stopSequence: collected.stopSequence },
      tools.length > 0,
    ),
    usage: toAnthropicUsage(collected.usage ?? { inputTokens: 0, outputTokens: 0 }),
  };
}
