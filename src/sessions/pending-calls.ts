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
 * The end of a history, rewritten without the copies of arguments kept for an approval
 * (`approvalArguments`, beside the redacted view) of every call that now has a result: once a
 * call has run, been declined or been cut short, nothing needs its unredacted arguments, and the
 * session should not keep them at rest. A call's result is one of the tool messages right after
 * its assistant message, or, for the history's last assistant message, one of `answered` (the
 * results the turn is about to store). Call ids are matched only there: a model may use an id
 * again in a later call, which must keep its copy while it waits. The tail runs from the first
 * assistant message with such a copy to the end, one message for each; undefined when there is
 * nothing to drop. A copy left behind by a turn that died (stored before this rule held) is
 * dropped by the next one.
 */
export function settledApprovalTail(
  history: readonly Message[],
  answered: ReadonlySet<string>,
): Message[] | undefined {
  const settledAt: (Set<string> | undefined)[] = new Array<Set<string> | undefined>(history.length);
  let first = -1;
  let lastAssistant = -1;
  for (let index = history.length - 1; index >= 0; index--) {
    if (history[index]?.role === 'assistant') {
      lastAssistant = index;
      break;
    }
  }
  for (let index = 0; index < history.length; index++) {
    const message = history[index];
    if (message?.role !== 'assistant') continue;
    const results = new Set<string>(index === lastAssistant ? answered : []);
    for (let next = index + 1; history[next]?.role === 'tool'; next++) {
      results.add((history[next] as ToolMessage).toolCallId);
    }
    const settled = message.toolCalls.some(
      (call) => call.approvalArguments !== undefined && results.has(call.id),
    );
    if (!settled) continue;
    settledAt[index] = results;
    if (first === -1) first = index;
  }
  if (first === -1) return undefined;
  return history.slice(first).map((message, offset) => {
    const results = settledAt[first + offset];
    if (results === undefined || message.role !== 'assistant') return message;
    const toolCalls = message.toolCalls.map((call) => {
      if (call.approvalArguments === undefined || !results.has(call.id)) return call;
      const shown = { ...call };
      delete shown.approvalArguments;
      return shown;
    });
    return { ...message, toolCalls };
  });
}
