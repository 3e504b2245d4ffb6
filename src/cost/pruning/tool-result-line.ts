import type { ToolMessage } from '../../core/conversation.js';
import { firstWords } from './text-cut.js';

/** Marks a shortened result, so the shortening is never taken for the tool's own output. */
export const SHORTENED_MARK = '[earlier tool result, shortened]';

/**
 * A tool result in one line, the same every time for the same result: tool name, outcome,
 * size and first words. Replaces an older result whole so the call keeps its pair.
 */
export function toolResultLine(message: ToolMessage, toolName: string | undefined): string {
  const outcome = message.isError === true ? 'failed' : 'ok';
  const size = sizeOf(message.content);
  const start = firstWords(message.content, { words: 12, chars: 100 });
  return `${SHORTENED_MARK} ${toolName ?? 'tool'}: ${outcome}, ${size}: ${start}`;
}

/** A shortened copy of a tool result; an already shortened one is returned as it is. */
export function shortenToolResult(message: ToolMessage, toolName: string | undefined): ToolMessage {
  if (message.content.startsWith(SHORTENED_MARK)) return message;
  const line = toolResultLine(message, toolName);
  return line.length < message.content.length ? { ...message, content: line } : message;
}

function sizeOf(content: string): string {
  const bytes = Buffer.byteLength(content, 'utf8');
  if (bytes < 1_000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1_000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
