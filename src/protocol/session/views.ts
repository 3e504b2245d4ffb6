import type { Message, ToolCall } from '../../core/conversation.js';
import { textOf } from '../../core/conversation.js';

/** A message as the session API shows it: OpenAI's chat message shape, which clients know. */
export interface MessageView {
  role: Message['role'];
  content: string | null;
  tool_calls?: Array<{
    id: string;
    type: 'function';
    function: { name: string; arguments: string };
  }>;
  tool_call_id?: string;
  is_error?: boolean;
}

export function messageView(message: Message): MessageView {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: textOf(message.content) };
    case 'tool': {
      const view: MessageView = {
        role: 'tool',
        content: message.content,
        tool_call_id: message.toolCallId,
      };
      if (message.isError) view.is_error = true;
      return view;
    }
    case 'assistant': {
      const text = textOf(message.content);
      const view: MessageView = { role: 'assistant', content: text === '' ? null : text };
      if (message.toolCalls.length > 0) {
        view.tool_calls = message.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: call.arguments },
        }));
      }
      return view;
    }
  }
}

export interface SessionSummary {
  id: string;
  assistant: string;
  /** ISO 8601 timestamps. */
  createdAt: string;
  updatedAt: string;
  metadata?: Record<string, unknown>;
}

function unixSeconds(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

/** A tool call waiting for the user's approval, in the shape of an OpenAI tool call. */
export function pendingCallView(call: ToolCall) {
  return {
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.arguments },
  };
}

/**
 * `GET /v1/sessions/{id}`: the session and its whole history, with the tool calls its last turn
 * paused on (approve or decline them with `POST /v1/sessions/{id}/tool-decisions`).
 */
export function sessionView(
  session: SessionSummary,
  messages: readonly Message[],
  pending: readonly ToolCall[] = [],
) {
  return {
    id: session.id,
    object: 'session',
    assistant: session.assistant,
    created_at: unixSeconds(session.createdAt),
    updated_at: unixSeconds(session.updatedAt),
    metadata: session.metadata ?? {},
    messages: messages.map(messageView),
    pending_tool_calls: pending.map(pendingCallView),
  };
}
