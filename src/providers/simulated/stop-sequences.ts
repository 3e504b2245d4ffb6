import type { TurnContent } from './decide-turn.js';

/** A turn cut at the first of the request's stop sequences, and the sequence that cut it. */
export interface StoppedContent {
  content: TurnContent;
  stopSequence: string | undefined;
}

/**
 * Ends the answer where its text first holds one of `stop`, as providers do: the sequence itself
 * is not sent, and nothing after it (tool calls included) is produced. A provider writes its
 * answer in order and stops as soon as what it wrote ends with a sequence, so the sequence that
 * is complete first wins; of two complete at once, the longer (it started earlier).
 */
export function applyStopSequences(
  content: TurnContent,
  stop: readonly string[] | undefined,
): StoppedContent {
  const sequences = (stop ?? []).filter((sequence) => sequence !== '');
  if (sequences.length === 0) return { content, stopSequence: undefined };
  const text = content.textTokens.join('');
  let at = -1;
  let end = Number.POSITIVE_INFINITY;
  let matched: string | undefined;
  for (const sequence of sequences) {
    const found = text.indexOf(sequence);
    if (found < 0) continue;
    const completes = found + sequence.length;
    if (completes < end || (completes === end && found < at)) {
      at = found;
      end = completes;
      matched = sequence;
    }
  }
  if (matched === undefined) return { content, stopSequence: undefined };
  const kept: string[] = [];
  let length = 0;
  for (const token of content.textTokens) {
    if (length + token.length > at) {
      const head = token.slice(0, at - length);
      if (head !== '') kept.push(head);
      break;
    }
    kept.push(token);
    length += token.length;
  }
  return { content: { textTokens: kept, toolCalls: [] }, stopSequence: matched };
}
