import type { CollectedResponse } from '../core/collect.js';
import type {
  Message,
  ModelRequest,
  ToolCall,
  ToolMessage,
  ToolSpec,
} from '../core/conversation.js';
import { RampartError, toRampartError } from '../core/errors.js';
import { addUsage, type Usage } from '../core/events.js';
import { countTargetOf, estimateUsage, type TokenCounts } from '../core/token-estimate.js';
import { failedToolMessage, type ToolAuthorizer, type ToolRegistry } from '../tools/index.js';
import { callAside } from './aside-call.js';
import { callModel, type ModelCallContext } from './model-call.js';
import {
  admitToolStep,
  enterStep,
  shapeRequest,
  type ModelCallRequest,
  type RequestShaping,
} from './stage.js';
import { saveAfterTools, saveBeforeTools } from './tool-checkpoint.js';
import { assistantMessage, runToolStep, type ToolResultScreen } from './tool-step.js';
import {
  declinedCallFact,
  type ModelCallFact,
  type ResumedCalls,
  type ServerTools,
  type Turn,
} from './turn.js';
import type { TurnEvent } from './turn-event.js';

type Ending = Extract<TurnEvent, { type: 'finish' | 'error' }>;

function toolsFor(turn: Turn, registry: ToolRegistry): ToolSpec[] | undefined {
  const { serverTools, clientTools } = turn.input;
  if (serverTools)
    return serverTools.names.length > 0 ? registry.specs(serverTools.names) : undefined;
  return clientTools;
}

/** The error a turn ends with: a shutdown that aborted it says so, rather than "client closed". */
function endingError(turn: Turn, error: RampartError): Ending {
  const { signal } = turn.input;
  const reason: unknown = signal.reason;
  const actual = signal.aborted && reason instanceof RampartError ? reason : error;
  if (actual.code === 'RAMPART_INTERNAL')
    turn.logger.error({ err: actual }, 'turn failed inside Rampart');
  return { type: 'error', error: actual, beforeContent: !turn.contentStarted };
}

/** The turn's end: usage once for the whole turn, then the final event. */
function* endTurn(turn: Turn, last: Ending): Generator<TurnEvent, void> {
  yield { type: 'usage', usage: turn.usage };
  turn.finishReason = last.type === 'finish' ? last.reason : 'error';
  if (last.type === 'error') turn.errorCode = last.error.code;
  yield last;
}

/**
 * Tool calls the model was still writing when it hit its token limit: they are kept in the
 * history (the call and a result must pair up for every provider) with a result saying they
 * were not run, so neither the model nor the client mistakes them for calls that ran.
 */
function truncatedCalls(response: CollectedResponse): Message[] {
  const reply = assistantMessage(response.text, response.toolCalls);
  const results = response.toolCalls.map((call) =>
    failedToolMessage(
      call.id,
      'RAMPART_TOOL_INVALID_ARGUMENTS',
      'The call was cut off by the token limit and was not run.',
    ),
  );
  return [reply, ...results];
}

/**
 * Usage of a call whose provider reported none: estimated, so it is never silently zero. A call
 * that failed before producing anything is not charged; one that failed after producing content
 * (a cut stream, a client that left mid-answer) is, since the provider bills what it produced.
 */
async function unreportedUsage(
  turn: Turn,
  call: { request: Omit<ModelRequest, 'model'>; response: CollectedResponse },
  tokens: TokenCounts | undefined,
): Promise<Usage | undefined> {
  const { request, response } = call;
  const produced = response.text !== '' || response.toolCalls.length > 0;
  if (response.error && !produced) return undefined;
  const target = turn.servedBy ?? turn.route?.targets[0];
  if (!tokens || !target) return estimateUsage(request, response);
  const counted = countTargetOf(target);
  await tokens.prepare(counted).catch(() => undefined);
  return estimateUsage(request, response, tokens.counting(counted));
}

/**
 * Adds one model call's usage to the turn, kept by the target each part was spent on: each
 * attempt that reported or was counted on its own target (a fallback's partial first attempt
 * is priced on the target that produced it), else the whole on the target that served.
 */
function recordUsage(turn: Turn, usage: Usage, attempts: readonly ModelCallFact[]): void {
  turn.usage = addUsage(turn.usage, usage);
  // A stored answer served in degraded mode came from no model and cost nothing.
  if (turn.degraded) return;
  const spent = attempts.filter((attempt) => attempt.usage !== undefined);
  if (spent.length > 0) {
    for (const { provider, model, usage: part } of spent) {
      turn.modelUsage.push({ target: `${provider}/${model}`, provider, model, usage: part! });
    }
    return;
  }
  const target = turn.servedBy ?? turn.route?.targets[0];
  if (!target) return;
  const { id, model } = target;
  turn.modelUsage.push({ target: id, provider: target.provider.name, model, usage });
}

/** What the model's final (non-tool) answer adds to the history: nothing when it is empty. */
function finalMessages(turn: Turn, response: CollectedResponse): Message[] {
  const { serverTools } = turn.input;
  if (serverTools && response.finishReason === 'length' && response.toolCalls.length > 0) {
    return truncatedCalls(response);
  }
  const calls = serverTools ? [] : response.toolCalls;
  if (response.text === '' && calls.length === 0) return [];
  return [assistantMessage(response.text, calls)];
}

/** The request of the next model call, as the stages shaped it (a budget clamps its output). */
async function stepRequest(
  turn: Turn,
  context: ConversationContext,
  draft: Omit<ModelRequest, 'model'>,
): Promise<Omit<ModelRequest, 'model'> | RampartError> {
  try {
    await enterStep(context.stages, turn, draft);
  } catch (error) {
    return toRampartError(error);
  }
  const cap = turn.maxOutputTokens;
  if (cap === undefined) return draft;
  return { ...draft, maxTokens: Math.min(draft.maxTokens ?? cap, cap) };
}

/** A turn a stage answered itself (a spent budget): a normal answer, no model spend. */
function* cannedTurn(turn: Turn, text: string): Generator<TurnEvent, void> {
  turn.contentStarted = true;
  yield { type: 'text-delta', text };
  turn.produced.push(assistantMessage(text, []));
  yield* endTurn(turn, { type: 'finish', reason: 'stop' });
}

/** What the conversation needs besides the turn: model calls and the tool step's parts. */
export interface ConversationContext extends ModelCallContext {
  registry: ToolRegistry;
  authorizer: ToolAuthorizer | undefined;
  screen: ToolResultScreen | undefined;
}

const DECLINED_MESSAGE = 'The user declined this call; it was not run.';

/**
 * The calls a paused turn waited on: the approved ones run (every check but the confirmation
 * applies again), the others are declined and recorded as such.
 */
async function* resumeCalls(
  turn: Turn,
  resume: ResumedCalls,
  options: { context: ConversationContext; tools: ServerTools },
): AsyncGenerator<TurnEvent, { messages: ToolMessage[]; saved: boolean }> {
  const { context, tools } = options;
  const approved = resume.calls.filter((call) => resume.approved.has(call.id));
  const refused = resume.calls.filter((pending) => !resume.approved.has(pending.id));
  const declined = refused.map((call) =>
    failedToolMessage(call.id, 'RAMPART_TOOL_DECLINED', DECLINED_MESSAGE),
  );
  const step = { calls: resume.calls, running: approved, known: declined };
  const saved = await saveBeforeTools(turn, step, { tools, registry: context.registry });
  const results = yield* runToolStep(turn, approved, {
    ...context,
    tools,
    confirmed: resume.approved,
  });
  // The declines are audited by the session once the turn is committed: a turn taken back
  // leaves the calls waiting, and the log must not say they were declined.
  for (const call of refused) {
    turn.toolCalls.push(declinedCallFact(call, tools.names.includes(call.name)));
  }
  // Results go back in the order the model asked for the calls.
  const byId = new Map([...results, ...declined].map((message) => [message.toolCallId, message]));
  return { messages: resume.calls.flatMap((call) => byId.get(call.id) ?? []), saved };
}

/** A turn paused for the user's approval: its steps so far are kept, the calls wait. */
function* pauseTurn(turn: Turn): Generator<TurnEvent, void> {
  const names = turn.pendingToolCalls.map((call) => call.name).join(', ');
  turn.logger.info({ tools: names }, 'turn paused for the user to approve tool calls');
  yield* endTurn(turn, { type: 'finish', reason: 'tool-calls' });
}

/**
 * The core of a turn: call the model; when it asks for server-side tools, run them, feed the
 * results back and call it again, up to the step limit. Client-side tools (and plain chat) end
 * after one call, with the model's tool calls left for the client. A call that needs the
 * user's approval pauses the turn after the calls that could run.
 */
export async function* runConversation(
  turn: Turn,
  context: ConversationContext,
): AsyncGenerator<TurnEvent> {
  const { registry } = context;
  const route = turn.route;
  if (!route) throw new Error('runConversation before the route stage resolved a model');
  const messages: Message[] = [...turn.input.messages];
  const tools = toolsFor(turn, registry);
  const serverTools = turn.input.serverTools;
  const maxSteps = serverTools?.maxSteps ?? 1;
  const resume = turn.input.resume;
  const shaping: RequestShaping = {
    callAside: (aside, request, options) =>
      callAside(turn, { route: aside, request, context, ...options }),
  };
  if (resume && serverTools) {
    const { messages: results, saved } = yield* resumeCalls(turn, resume, {
      context,
      tools: serverTools,
    });
    turn.produced.push(...results);
    messages.push(...results);
    if (saved) await saveAfterTools(turn);
    if (turn.pendingToolCalls.length > 0) return yield* pauseTurn(turn);
  }
  for (let step = 1; ; step++) {
    const built: ModelCallRequest = { ...turn.input.options, messages };
    if (tools) built.tools = tools;
    // Shaped (pruned) first, so a budget reserves for what is actually sent.
    let shaped: ModelCallRequest;
    try {
      shaped = await shapeRequest(context.stages, turn, { request: built, shaping });
    } catch (error) {
      return yield* endTurn(turn, endingError(turn, toRampartError(error)));
    }
    const routed = turn.route;
    let request = await stepRequest(turn, context, shaped);
    if (request instanceof RampartError) return yield* endTurn(turn, endingError(turn, request));
    if (turn.route !== routed) {
      // A budget moved the turn to another model: fitted again to that model's window.
      const limited = { ...built, maxTokens: request.maxTokens };
      if (request.maxTokens === undefined) delete limited.maxTokens;
      try {
        request = await shapeRequest(context.stages, turn, { request: limited, shaping });
      } catch (error) {
        return yield* endTurn(turn, endingError(turn, toRampartError(error)));
      }
    }
    if (turn.cannedAnswer !== undefined) return yield* cannedTurn(turn, turn.cannedAnswer);
    if (serverTools) yield { type: 'step-start', step };
    const attempted = turn.modelCalls.length;
    const response = yield* callModel(turn, request, context);
    const usage =
      response.usage ?? (await unreportedUsage(turn, { request, response }, context.tokens));
    if (usage) recordUsage(turn, usage, turn.modelCalls.slice(attempted));
    if (response.error) return yield* endTurn(turn, endingError(turn, response.error));
    const wantsTools =
      serverTools && response.finishReason === 'tool-calls' && response.toolCalls.length > 0;
    if (!wantsTools) {
      turn.produced.push(...finalMessages(turn, response));
      const { finishReason: reason, stopSequence } = response;
      const finish = stopSequence === undefined ? { reason } : { reason, stopSequence };
      return yield* endTurn(turn, { type: 'finish', ...finish });
    }
    if (step >= maxSteps) {
      const message = `the turn stopped after ${maxSteps} model calls without a final answer`;
      const error = new RampartError('RAMPART_TOOL_LOOP_LIMIT', message);
      return yield* endTurn(turn, endingError(turn, error));
    }
    const reply = assistantMessage(response.text, response.toolCalls);
    turn.produced.push(reply);
    messages.push(reply);
    const refusal = await admitToolStep(context.stages, turn, response.toolCalls);
    const calls = response.toolCalls;
    const planned = { calls, running: calls, known: [] };
    const saved =
      !refusal &&
      (await saveBeforeTools(turn, planned, { tools: serverTools, registry: context.registry }));
    const results = refusal
      ? refusedCalls(turn, calls, refusal, context.registry)
      : yield* runToolStep(turn, calls, { ...context, tools: serverTools });
    turn.produced.push(...results);
    messages.push(...results);
    if (saved) await saveAfterTools(turn);
    if (turn.pendingToolCalls.length > 0) return yield* pauseTurn(turn);
  }
}

/**
 * A step's tool calls a stage refused before any ran: each gets the refusal as its result (a
 * call and its result always pair up), and the model, told so, answers without them.
 */
function refusedCalls(
  turn: Turn,
  calls: readonly ToolCall[],
  refusal: RampartError,
  registry: ToolRegistry,
) {
  return calls.map((call): ToolMessage => {
    turn.toolCalls.push({
      callId: call.id,
      name: call.name,
      known: registry.has(call.name),
      ok: false,
      durationMs: 0,
      errorCode: refusal.code,
    });
    return failedToolMessage(call.id, refusal.code, refusal.message);
  });
}
