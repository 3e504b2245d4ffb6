import type { Message } from '../../core/conversation.js';

/**
 * Where a conversation may be cut without parting a tool call from its result (every provider
 * refuses a result whose call is missing, and most a call without its result). `safe[i]` is
 * true when no call before `i` has its result at or after `i`.
 */
export function safeCuts(messages: readonly Message[]): boolean[] {
  const callAt = new Map<string, number>();
  const spans = new Array<number>(messages.length + 1).fill(0);
  messages.forEach((message, index) => {
    if (message.role === 'assistant') {
      for (const call of message.toolCalls) callAt.set(call.id, index);
    }
    if (message.role !== 'tool') return;
    const start = callAt.get(message.toolCallId);
    if (start === undefined) return;
    // The pair spans (start, index]: cutting anywhere in there would part it.
    spans[start + 1] = (spans[start + 1] ?? 0) + 1;
    spans[index + 1] = (spans[index + 1] ?? 0) - 1;
  });
  let open = 0;
  return spans.map((delta) => {
    open += delta;
    return open === 0;
  });
}

/** Indices where a turn starts (a user message) and the conversation may be cut. */
export function turnStarts(messages: readonly Message[]): number[] {
  const safe = safeCuts(messages);
  const starts: number[] = [];
  messages.forEach((message, index) => {
    if (message.role === 'user' && safe[index]) starts.push(index);
  });
  return starts;
}

/** Indices where a step starts (a user or assistant message) and the conversation may be cut. */
export function stepStarts(messages: readonly Message[]): number[] {
  const safe = safeCuts(messages);
  const starts: number[] = [];
  messages.forEach((message, index) => {
    if ((message.role === 'user' || message.role === 'assistant') && safe[index])
      starts.push(index);
  });
  return starts;
}

/** The name of the call each tool result answers, by call id. */
export function callNames(messages: readonly Message[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const call of message.toolCalls) names.set(call.id, call.name);
  }
  return names;
}
