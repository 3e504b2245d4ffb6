import type { Message } from '../../core/conversation.js';
import { createLogger } from '../../core/logger.js';
import { createTurn, type Turn, type TurnInput } from '../../runtime/turn.js';

/** A settled-looking turn built by hand, for sinks and trackers that read turn facts. */
export function handTurn(
  options: {
    userId?: string;
    messages?: Message[];
    sessionId?: string;
    conversationId?: string;
    buffered?: boolean;
  } = {},
): Turn {
  const input: TurnInput = {
    requestId: 'req_test',
    principal: {
      userId: options.userId ?? 'alice',
      role: 'user',
      tier: 'standard',
      permissions: [],
      keyId: 'key_test',
    },
    modelName: 'chat',
    messages: options.messages ?? [user('hello')],
    options: {},
    signal: new AbortController().signal,
    ...(options.sessionId === undefined ? {} : { sessionId: options.sessionId }),
    ...(options.conversationId === undefined ? {} : { conversationId: options.conversationId }),
    ...(options.buffered === undefined ? {} : { buffered: options.buffered }),
  };
  return createTurn(input, createLogger({ level: 'silent' }));
}

/** A user message. */
export function user(text: string): Message {
  return { role: 'user', content: [{ type: 'text', text }] };
}

/** An assistant answer. */
export function answer(text: string): Message {
  return { role: 'assistant', content: [{ type: 'text', text }], toolCalls: [] };
}
