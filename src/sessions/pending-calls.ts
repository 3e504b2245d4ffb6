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

/**
 * The end of a history whose last assistant message keeps the arguments of a call as the model
 * wrote them for its approval (`approvalArguments`, beside the redacted view), rewritten without
 * that copy for every call `answered` or the history itself now gives a result: once a call has
 * run or been declined, nothing needs its unredacted arguments, and the session should not keep
 * them at rest. From that assistant message to the end, one message for each; undefined when
 * there is nothing to drop.
 */
export function settledApprovalTail(
  history: readonly Message[],
  answered: ReadonlySet<string>,
): Message[] | undefined {
  let index = history.length - 1;
  const results = new Set(answered);
  while (index >= 0 && history[index]?.role === 'tool') {
    results.add((history[index] as ToolMessage).toolCallId);
    index--;
  }
  const asking = history[index];
  if (asking?.role !== 'assistant') return undefined;
  const settled = (call: ToolCall) => call.approvalArguments !== undefined && results.has(call.id);
  if (!asking.toolCalls.some(settled)) return undefined;
  const toolCalls = asking.toolCalls.map((call) => {
    if (!settled(call)) return call;
    const shown = { ...call };
    delete shown.approvalArguments;
    return shown;
  });
  return [{ ...asking, toolCalls }, ...history.slice(index + 1)];
}
