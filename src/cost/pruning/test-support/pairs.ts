import type { Message } from '../../../core/conversation.js';

/** Every tool result's call comes before it, and every call has its result. */
export function pairsIntact(messages: readonly Message[]): boolean {
  const calls = new Set<string>();
  const answered = new Set<string>();
  for (const message of messages) {
    if (message.role === 'assistant') for (const call of message.toolCalls) calls.add(call.id);
    if (message.role === 'tool') {
      if (!calls.has(message.toolCallId)) return false;
      answered.add(message.toolCallId);
    }
  }
  return [...calls].every((id) => answered.has(id));
}
