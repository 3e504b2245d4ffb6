import { textOf, type Message } from '../../core/conversation.js';
import type { ModelCallRequest } from '../../runtime/index.js';
import { messageTokens } from './count-tokens.js';
import { callNames } from './pair-bounds.js';
import { cutText } from './text-cut.js';
import { toolResultLine } from './tool-result-line.js';

/** The longest a single message may be when shown to the summary model. */
const MESSAGE_CHARS = 2_000;

export interface SummaryRequestOptions {
  /** The summary so far: empty for the first. */
  previous: string;
  /** Only the messages the summary does not cover yet. */
  messages: readonly Message[];
  /** Tokens the summary may take. */
  maxTokens: number;
  /** Tokens the whole request may hold in the summary model's window. */
  limit: number;
}

/**
 * The request that extends a running summary: the summary so far and the newly folded messages,
 * never the whole history again. A message is shown at most 2,000 characters long, and tool
 * results in one line; when the batch is still too large for the summary model, its oldest
 * messages are left out (their names, dates and numbers are kept by rule anyway).
 */
export function summaryRequest(options: SummaryRequestOptions): ModelCallRequest {
  const words = Math.max(20, Math.floor(options.maxTokens * 0.7));
  const system: Message = {
    role: 'system',
    content:
      'You keep a running summary of a conversation between a user and an assistant. You are ' +
      'given the summary so far and the messages that follow it. Reply with the updated ' +
      'summary only: the summary so far, extended with what the new messages add. Keep every ' +
      `name, date, number, decision and open question. At most ${words} words.`,
  };
  const head = `Summary so far:\n${options.previous === '' ? '(none yet)' : options.previous}`;
  const room = options.limit - messageTokens(system) - messageTokens(userMessage(head));
  const lines = fittedLines(renderMessages(options.messages), room);
  const user = userMessage(`${head}\n\nNew messages:\n${lines.join('\n')}`);
  return { messages: [system, user], maxTokens: options.maxTokens, temperature: 0 };
}

function userMessage(text: string): Message {
  return { role: 'user', content: [{ type: 'text', text }] };
}

/** One line per message, as the summary model reads them. */
export function renderMessages(messages: readonly Message[]): string[] {
  const names = callNames(messages);
  return messages.map((message) => {
    switch (message.role) {
      case 'system':
        return `System: ${cutText(message.content, MESSAGE_CHARS)}`;
      case 'user':
        return `User: ${cutText(textOf(message.content), MESSAGE_CHARS)}`;
      case 'assistant': {
        const calls = message.toolCalls.map((call) => call.name).join(', ');
        const text = cutText(textOf(message.content), MESSAGE_CHARS);
        return calls === '' ? `Assistant: ${text}` : `Assistant: ${text} [called ${calls}]`;
      }
      case 'tool':
        return `Tool result: ${toolResultLine(message, names.get(message.toolCallId))}`;
    }
  });
}

/** The newest lines that fit `room`, with a note of how many older ones were left out. */
function fittedLines(lines: readonly string[], room: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (let index = lines.length - 1; index >= 0; index--) {
    const tokens = messageTokens({ role: 'system', content: lines[index]! });
    if (used + tokens > room - NOTE_TOKENS) {
      kept.unshift(`(${index + 1} earlier messages not shown)`);
      break;
    }
    used += tokens;
    kept.unshift(lines[index]!);
  }
  return kept;
}

/** Room kept for the note on left-out messages. */
const NOTE_TOKENS = 16;
