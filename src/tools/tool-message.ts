import type { ToolMessage } from '../core/index.js';
import type { ToolResult } from './types.js';

/** The conversation message that carries a tool result back to the model. */
export function toToolMessage(result: ToolResult): ToolMessage {
  const message: ToolMessage = { role: 'tool', toolCallId: result.callId, content: result.content };
  if (!result.ok) message.isError = true;
  return message;
}
