import type { AssistantMessage, ToolCall, ToolMessage } from '../core/conversation.js';
import {
  runToolCalls,
  toToolMessage,
  type ToolAuthorizer,
  type ToolDefinition,
  type ToolRegistry,
  type ToolResult,
} from '../tools/index.js';
import { AsyncQueue } from './async-queue.js';
import type { ServerTools, Turn } from './turn.js';
import type { TurnEvent } from './turn-event.js';
import type { TurnTrace } from './turn-trace.js';

/**
 * Looks at a tool's result before the model reads it (injection checks, data classes) and
 * returns the message the model gets.
 */
export type ToolResultScreen = (
  turn: Turn,
  result: ToolResult,
  definition: ToolDefinition | undefined,
) => Promise<ToolMessage>;

/** What running the model's tool calls needs besides the turn. */
export interface ToolStepOptions {
  registry: ToolRegistry;
  tools: ServerTools;
  authorizer: ToolAuthorizer | undefined;
  screen: ToolResultScreen | undefined;
  /** Calls the user approved (a resumed turn). */
  confirmed?: ReadonlySet<string>;
  /** The turn's trace; absent: tracing is off or the turn is not sampled. */
  trace?: TurnTrace | undefined;
}

/** The assistant message that asked for tool calls, as it goes into the history. */
export function assistantMessage(text: string, toolCalls: ToolCall[]): AssistantMessage {
  return { role: 'assistant', content: text === '' ? [] : [{ type: 'text', text }], toolCalls };
}

function recordCall(turn: Turn, result: ToolResult, registry: ToolRegistry): void {
  turn.toolCalls.push({
    callId: result.callId,
    name: result.name,
    known: registry.has(result.name),
    ok: result.ok,
    durationMs: result.durationMs,
    errorCode: result.errorCode,
  });
}

/**
 * Runs the model's tool calls on the server, streaming `tool-start`/`tool-end` as each call
 * starts and ends, and returns the tool messages in the order of the calls. Only the
 * assistant's own tools run, each only once its policy allows it, whatever the model asked for.
 * Calls waiting for the user's approval get no message: they join `turn.pendingToolCalls`.
 */
export async function* runToolStep(
  turn: Turn,
  calls: readonly ToolCall[],
  options: ToolStepOptions,
): AsyncGenerator<TurnEvent, ToolMessage[]> {
  const queue = new AsyncQueue<TurnEvent>();
  const { input } = turn;
  const running = runToolCalls(calls, {
    registry: options.registry,
    allowed: new Set(options.tools.names),
    principal: input.principal,
    ...(input.sessionId === undefined ? {} : { sessionId: input.sessionId }),
    requestId: input.requestId,
    ...(options.authorizer ? { authorizer: options.authorizer } : {}),
    ...(options.confirmed ? { confirmed: options.confirmed } : {}),
    signal: input.signal,
    concurrency: options.tools.concurrency,
    defaultTimeoutMs: options.tools.timeoutMs,
    logger: turn.logger,
    onEvent: (event) => {
      options.trace?.tool(event);
      queue.push(event);
    },
  }).finally(() => queue.close());
  yield* queue;
  const messages: ToolMessage[] = [];
  for (const [index, result] of (await running).entries()) {
    recordCall(turn, result, options.registry);
    if (result.pending) {
      turn.pendingToolCalls.push(calls[index] as ToolCall);
      continue;
    }
    const definition = options.registry.get(result.name);
    messages.push(
      options.screen ? await options.screen(turn, result, definition) : toToolMessage(result),
    );
  }
  return messages;
}
