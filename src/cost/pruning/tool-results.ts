import type { Message } from '../../core/conversation.js';
import { messageTokens } from './count-tokens.js';
import { shortenToolResult } from './tool-result-line.js';

/** Where the results of the model's latest calls begin: the tool messages that end `history`. */
export function trailingResults(history: readonly Message[]): number {
  let start = history.length;
  while (start > 0 && history[start - 1]?.role === 'tool') start--;
  return start;
}

/**
 * Tool results kept whole, newest first, while they fit `budget`; older ones become one line.
 * The results of the model's latest calls are always kept: it asked for them to answer now.
 */
export function shortenOldResults(
  history: readonly Message[],
  names: ReadonlyMap<string, string>,
  budget: number,
): Message[] {
  const trailing = trailingResults(history);
  let used = 0;
  for (let index = trailing; index < history.length; index++) {
    used += messageTokens(history[index]!);
  }
  const result = [...history];
  for (let index = trailing - 1; index >= 0; index--) {
    const message = history[index]!;
    if (message.role !== 'tool') continue;
    const tokens = messageTokens(message);
    if (used + tokens <= budget) used += tokens;
    else result[index] = shortenToolResult(message, names.get(message.toolCallId));
  }
  return result;
}

/** Every tool result in one line; the latest calls' results too unless `keepTrailing`. */
export function shortenAllResults(
  history: readonly Message[],
  names: ReadonlyMap<string, string>,
  keepTrailing: boolean,
): Message[] {
  const end = keepTrailing ? trailingResults(history) : history.length;
  return history.map((message, index) =>
    message.role === 'tool' && index < end
      ? shortenToolResult(message, names.get(message.toolCallId))
      : message,
  );
}

/** How many tool results of `after` are shortened copies rather than results of `before`. */
export function countShortened(before: readonly Message[], after: readonly Message[]): number {
  const original = new Set(before);
  return after.filter((message) => message.role === 'tool' && !original.has(message)).length;
}
