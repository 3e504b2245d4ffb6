import type { Message, ModelRequest, ToolSpec } from '../core/conversation.js';
import { RampartError } from '../core/errors.js';
import type { ToolRegistry } from '../tools/index.js';
import { callModel } from './model-call.js';
import { assistantMessage, runToolStep } from './tool-step.js';
import type { Turn } from './turn.js';
import type { TurnEvent } from './turn-event.js';
import { addUsage } from '../core/events.js';

function toolsFor(turn: Turn, registry: ToolRegistry): ToolSpec[] | undefined {
  const { serverTools, clientTools } = turn.input;
  if (serverTools)
    return serverTools.names.length > 0 ? registry.specs(serverTools.names) : undefined;
  return clientTools;
}

/** The turn's end: usage once for the whole turn, then the final event. */
function* endTurn(turn: Turn, last: TurnEvent): Generator<TurnEvent, void> {
  yield { type: 'usage', usage: turn.usage };
  if (last.type === 'finish') turn.finishReason = last.reason;
  if (last.type === 'error') {
    turn.finishReason = 'error';
    turn.errorCode = last.error.code;
  }
  yield last;
}

/**
 * The core of a turn: call the model; when it asks for server-side tools, run them, feed the
 * results back and call it again, up to the step limit. Client-side tools (and plain chat) end
 * after one call, with the model's tool calls left for the client.
 */
export async function* runConversation(
  turn: Turn,
  registry: ToolRegistry,
): AsyncGenerator<TurnEvent> {
  const route = turn.route;
  if (!route) throw new Error('runConversation before the route stage resolved a model');
  const messages: Message[] = [...turn.input.messages];
  const tools = toolsFor(turn, registry);
  const serverTools = turn.input.serverTools;
  const maxSteps = serverTools?.maxSteps ?? 1;
  for (let step = 1; ; step++) {
    if (serverTools) yield { type: 'step-start', step };
    const request: ModelRequest = { ...turn.input.options, model: route.upstreamModel, messages };
    if (tools) request.tools = tools;
    const response = yield* callModel(turn, request);
    if (response.usage) turn.usage = addUsage(turn.usage, response.usage);
    if (response.error) {
      const beforeContent = !turn.contentStarted;
      return yield* endTurn(turn, { type: 'error', error: response.error, beforeContent });
    }
    const wantsTools =
      serverTools && response.finishReason === 'tool-calls' && response.toolCalls.length > 0;
    const reply = assistantMessage(response.text, wantsTools ? response.toolCalls : []);
    if (!wantsTools) {
      if (!serverTools && response.toolCalls.length > 0) reply.toolCalls = response.toolCalls;
      turn.produced.push(reply);
      return yield* endTurn(turn, { type: 'finish', reason: response.finishReason });
    }
    if (step >= maxSteps) {
      const error = new RampartError(
        'RAMPART_TOOL_LOOP_LIMIT',
        `the turn stopped after ${maxSteps} model calls without a final answer`,
      );
      return yield* endTurn(turn, { type: 'error', error, beforeContent: !turn.contentStarted });
    }
    turn.produced.push(reply);
    messages.push(reply);
    const results = yield* runToolStep(turn, response.toolCalls, { registry, tools: serverTools });
    turn.produced.push(...results);
    messages.push(...results);
  }
}
