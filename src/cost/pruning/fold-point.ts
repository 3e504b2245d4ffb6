import type { Message } from '../../core/conversation.js';
import { messageTokens } from './count-tokens.js';
import { callNames, turnStarts } from './pair-bounds.js';
import { shortenToolResult } from './tool-result-line.js';

export interface FoldOptions {
  /** History messages the running summary already covers. */
  covered: number;
  /** Tokens the verbatim turns may take. */
  budget: number;
  /** Turns always kept verbatim. */
  recentTurns: number;
}

/**
 * Where the running summary should end: unchanged while the verbatim turns fit their budget;
 * once they outgrow it, at the turn start that brings them to half of it (so the summary model
 * is called every several turns, not every turn), never past the last `recentTurns` turns.
 */
export function foldPoint(history: readonly Message[], options: FoldOptions): number {
  const { covered, budget, recentTurns } = options;
  const starts = turnStarts(history);
  const latest = starts.length >= recentTurns ? starts[starts.length - recentTurns] : undefined;
  if (latest === undefined || latest <= covered) return covered;
  const suffix = verbatimSuffix(history);
  if ((suffix[covered] ?? 0) <= budget) return covered;
  for (const start of starts) {
    if (start <= covered) continue;
    if (start >= latest || (suffix[start] ?? 0) <= budget / 2) return Math.min(start, latest);
  }
  return latest;
}

/** Tokens of `history[i..]` as the verbatim part counts them: tool results at one line. */
function verbatimSuffix(history: readonly Message[]): number[] {
  const names = callNames(history);
  const suffix = new Array<number>(history.length + 1).fill(0);
  for (let index = history.length - 1; index >= 0; index--) {
    const message = history[index]!;
    const counted =
      message.role === 'tool' ? shortenToolResult(message, names.get(message.toolCallId)) : message;
    suffix[index] = (suffix[index + 1] ?? 0) + messageTokens(counted);
  }
  return suffix;
}
