import type { Message, ToolCall, ToolMessage } from '../core/index.js';
import { failedToolMessage } from '../tools/index.js';

/**
 * The tool calls a session's turn paused on: calls of the history's last assistant message that
 * have no result yet. The history itself is the record, so a pause survives restarts and is the
 * same on every instance.
 */
export function pendingToolCalls(messages: readonly Message[]): ToolCall[] {
  const answered = new Set<string>();
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index];
    if (message?.role === 'tool') {
      answered.add(message.toolCallId);
      continue;
    }
    if (message?.role !== 'assistant') return [];
    return message.toolCalls.filter((call) => !answered.has(call.id));
  }
  return [];
}

/** Results for calls the user never approved, so the history stays well formed for every provider. */
export function declinedResults(calls: readonly ToolCall[], reason: string): ToolMessage[] {
  return calls.map((call) => failedToolMessage(call.id, 'RAMPART_TOOL_DECLINED', reason));
}
