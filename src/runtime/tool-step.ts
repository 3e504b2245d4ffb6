import type { AssistantMessage, ToolCall, ToolMessage } from '../core/conversation.js';
import { runToolCalls, toToolMessage, type ToolRegistry } from '../tools/index.js';
import { AsyncQueue } from './async-queue.js';
import type { ServerTools, Turn } from './turn.js';
import type { TurnEvent } from './turn-event.js';

/** The assistant message that asked for tool calls, as it goes into the history. */
export function assistantMessage(text: string, toolCalls: ToolCall[]): AssistantMessage {
  return { role: 'assistant', content: text === '' ? [] : [{ type: 'text', text }], toolCalls };
}

/**
 * Runs the model's tool calls on the server, streaming `tool-start`/`tool-end` as each call
 * starts and ends, and returns the tool messages in the order of the calls. Only the
 * assistant's own tools run, whatever the model asked for.
 */
export async function* runToolStep(
  turn: Turn,
  calls: ToolCall[],
  options: { registry: ToolRegistry; tools: ServerTools },
): AsyncGenerator<TurnEvent, ToolMessage[]> {
  const queue = new AsyncQueue<TurnEvent>();
  const running = runToolCalls(calls, {
    registry: options.registry,
    allowed: new Set(options.tools.names),
    principal: turn.input.principal,
    ...(turn.input.sessionId === undefined ? {} : { sessionId: turn.input.sessionId }),
    signal: turn.input.signal,
    concurrency: options.tools.concurrency,
    defaultTimeoutMs: options.tools.timeoutMs,
    logger: turn.logger,
    onEvent: (event) => queue.push(event),
  }).finally(() => queue.close());
  yield* queue;
  return (await running).map((result) => {
    turn.toolCalls.push({
      callId: result.callId,
      name: result.name,
      ok: result.ok,
      durationMs: result.durationMs,
      errorCode: result.errorCode,
    });
    return toToolMessage(result);
  });
}
