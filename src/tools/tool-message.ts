import type { ErrorCode, ToolMessage } from '../core/index.js';
import { failure } from './tool-outcome.js';
import type { ToolResult } from './types.js';

/** The conversation message that carries a tool result back to the model. */
export function toToolMessage(result: ToolResult): ToolMessage {
  const message: ToolMessage = { role: 'tool', toolCallId: result.callId, content: result.content };
  if (!result.ok) message.isError = true;
  return message;
}

/** The result of a call that failed or never ran, as the model reads it: a code and a message. */
export function failedToolMessage(callId: string, code: ErrorCode, message: string): ToolMessage {
  const { content } = failure(code, message);
  return { role: 'tool', toolCallId: callId, content, isError: true };
}
