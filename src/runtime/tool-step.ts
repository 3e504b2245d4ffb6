import type { AssistantMessage, ToolCall, ToolMessage } from '../core/conversation.js';
import { runToolCalls, toToolMessage, type ToolRegistry, type ToolResult } from '../tools/index.js';
import { AsyncQueue } from './async-queue.js';
import type { ServerTools, Turn } from './turn.js';
import type { TurnEvent } from './turn-event.js';

/** The assistant message that asked for tool calls, as it goes into the history. */
export function assistantMessage(text: string, toolCalls: ToolCall[]): AssistantMessage {
  return { role: 'assistant', content: text === '' ? [] : [{ type: 'text', text }], toolCalls };
}

/**
 * A call to a tool the assistant was not given. The model only sees the assistant's tools, but
 * nothing stops it from naming another registered one: that is refused here, in code, whatever
 * the model asked.
 */
function refused(call: ToolCall): ToolResult {
  const message = `The tool '${call.name.slice(0, 80)}' is not available to this assistant.`;
  return {
    callId: call.id,
    name: call.name,
    ok: false,
    content: JSON.stringify({ error: { code: 'RAMPART_TOOL_NOT_FOUND', message } }),
    errorCode: 'RAMPART_TOOL_NOT_FOUND',
    durationMs: 0,
  };
}

function record(turn: Turn, result: ToolResult): ToolMessage {
  turn.toolCalls.push({
    callId: result.callId,
    name: result.name,
    ok: result.ok,
    durationMs: result.durationMs,
    errorCode: result.errorCode,
  });
  return toToolMessage(result);
}

/**
 * Runs the model's tool calls on the server, streaming `tool-start`/`tool-end` as each call
 * starts and ends, and returns the tool messages in the order of the calls.
 */
export async function* runToolStep(
  turn: Turn,
  calls: ToolCall[],
  options: { registry: ToolRegistry; tools: ServerTools },
): AsyncGenerator<TurnEvent, ToolMessage[]> {
  const allowed = new Set(options.tools.names);
  const permitted = calls.filter((call) => allowed.has(call.name));
  const queue = new AsyncQueue<TurnEvent>();
  for (const call of calls) {
    if (allowed.has(call.name)) continue;
    const { errorCode } = refused(call);
    queue.push({ type: 'tool-start', callId: call.id, name: call.name });
    queue.push({
      type: 'tool-end',
      callId: call.id,
      name: call.name,
      ok: false,
      durationMs: 0,
      errorCode,
    });
  }
  const running = runToolCalls(permitted, {
    registry: options.registry,
    principal: turn.input.principal,
    ...(turn.input.sessionId === undefined ? {} : { sessionId: turn.input.sessionId }),
    signal: turn.input.signal,
    concurrency: options.tools.concurrency,
    defaultTimeoutMs: options.tools.timeoutMs,
    logger: turn.logger,
    onEvent: (event) => queue.push(event),
  }).finally(() => queue.close());
  yield* queue;
  // Results come back in the order of `permitted`; walk both lists so duplicate ids stay apart.
  const results = (await running).values();
  return calls.map((call) => {
    const result = allowed.has(call.name) ? results.next().value : undefined;
    return record(turn, result ?? refused(call));
  });
}
