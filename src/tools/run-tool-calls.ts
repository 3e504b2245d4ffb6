import {
  createSilentLogger,
  RampartError,
  type Logger,
  type Principal,
  type ToolCall,
} from '../core/index.js';
import type { ToolAuthorizer } from './policy/index.js';
import { failure, failureFromError, success, type ToolOutcome } from './tool-outcome.js';
import type { ToolRegistry } from './tool-registry.js';
import type { ToolContext, ToolDefinition, ToolEvent, ToolResult } from './types.js';

export interface RunToolCallsOptions {
  registry: ToolRegistry;
  /**
   * The tools this batch may run (an assistant's list). A call to any other tool, registered or
   * not, is refused like an unknown one: the model names what it likes, the code decides.
   */
  allowed?: ReadonlySet<string>;
  principal: Principal;
  sessionId?: string;
  requestId?: string;
  /**
   * Decides each call after its arguments are valid and before its handler runs. Absent: every
   * call the allow-list admits runs (library use without policies).
   */
  authorizer?: ToolAuthorizer;
  /** Ids of calls the user approved: their confirmation step is skipped, every other check is not. */
  confirmed?: ReadonlySet<string>;
  /** Cancels the whole batch: running handlers are aborted and unstarted calls never start. */
  signal: AbortSignal;
  /** Calls running at once. Default 4. */
  concurrency?: number;
  /** Timeout for tools that set none. Default 30000 ms. */
  defaultTimeoutMs?: number;
  /** Largest content, in UTF-8 bytes, a successful call may return. Default 65536. */
  maxOutputBytes?: number;
  /** Receives `tool-start` and `tool-end` as they happen; it must not throw. */
  onEvent?: (event: ToolEvent) => void;
  /** Default: a silent logger. */
  logger?: Logger;
  /** Milliseconds clock for durations. Default `performance.now`. */
  now?: () => number;
}

interface Batch {
  options: RunToolCallsOptions;
  timeoutMs: number;
  maxOutputBytes: number;
  logger: Logger;
  now: () => number;
}

// The call was under way: whatever the tool did before it was stopped stands.
const ABORTED_MESSAGE =
  'The tool call was cancelled while it ran; its outcome is unknown, and it was not run again.';
const NOT_STARTED_MESSAGE = 'The tool call was cancelled before it started.';

/**
 * Runs a model's tool calls concurrently (at most `concurrency` at a time), each under its own
 * timeout, and resolves with one result per call in the order of `calls`. It never rejects for a
 * tool's sake: unknown tools, bad arguments, throws, timeouts and cancellation all become error
 * results. Calls that never started because the batch was cancelled emit no events.
 */
export async function runToolCalls(
  calls: readonly ToolCall[],
  options: RunToolCallsOptions,
): Promise<ToolResult[]> {
  const batch = resolveBatch(options);
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RampartError('RAMPART_CONFIG_INVALID', 'Tool concurrency must be an integer >= 1.');
  }

  const results: ToolResult[] = [];
  let next = 0;
  const work = async (): Promise<void> => {
    for (let index = next++; index < calls.length; index = next++) {
      results[index] = await runCall(calls[index] as ToolCall, batch);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, calls.length) }, work));
  return results;
}

function resolveBatch(options: RunToolCallsOptions): Batch {
  return {
    options,
    timeoutMs: options.defaultTimeoutMs ?? 30_000,
    maxOutputBytes: options.maxOutputBytes ?? 65_536,
    logger: options.logger ?? createSilentLogger(),
    now: options.now ?? (() => performance.now()),
  };
}

async function runCall(call: ToolCall, batch: Batch): Promise<ToolResult> {
  const identity = { callId: call.id, name: call.name };
  if (batch.options.signal.aborted) {
    return { ...identity, ...failure('RAMPART_CLIENT_CLOSED', NOT_STARTED_MESSAGE), durationMs: 0 };
  }

  const started = batch.now();
  emit(batch, { type: 'tool-start', ...identity });
  const outcome = await executeCall(call, batch);
  const durationMs = Math.max(0, batch.now() - started);
  const result: ToolResult = { ...identity, ...outcome, durationMs };
  emit(batch, { type: 'tool-end', ...identity, ok: result.ok, durationMs, ...codeOf(result) });
  return result;
}

async function executeCall(call: ToolCall, batch: Batch): Promise<ToolOutcome> {
  const { registry, allowed } = batch.options;
  const tool = allowed && !allowed.has(call.name) ? undefined : registry.get(call.name);
  if (!tool) {
    return failure('RAMPART_TOOL_NOT_FOUND', `No tool named '${call.name}' is available.`);
  }

  const args = registry.checkArguments(tool.name, call.arguments);
  if (!args.ok) return failure('RAMPART_TOOL_INVALID_ARGUMENTS', args.message);

  // Without an authorizer the handler starts in the same tick as before: nothing to wait for.
  const refusal = batch.options.authorizer ? await authorize(call, args.value, batch) : undefined;
  if (refusal) return refusal;
  return invokeWithDeadline(tool, args.value, call, batch);
}

/** The authorizer's refusal as the model reads it, or `undefined` when the call may run. */
async function authorize(
  call: ToolCall,
  args: Record<string, unknown>,
  batch: Batch,
): Promise<ToolOutcome | undefined> {
  const { authorizer, principal, sessionId, requestId, confirmed } = batch.options;
  if (!authorizer) return undefined;
  const verdict = await authorizer.authorize({
    tool: call.name,
    callId: call.id,
    arguments: args,
    principal,
    ...(sessionId === undefined ? {} : { sessionId }),
    ...(requestId === undefined ? {} : { requestId }),
    confirmed: confirmed?.has(call.id) ?? false,
  });
  if (verdict.decision === 'allow') return undefined;
  if (verdict.decision === 'confirm') {
    const message = `Waiting for the user to approve this call (${verdict.reason}).`;
    return { ...failure('RAMPART_TOOL_CONFIRMATION_REQUIRED', message), pending: true };
  }
  return failure('RAMPART_TOOL_DENIED', `Denied by policy (${verdict.rule}): ${verdict.reason}.`);
}

/**
 * Settles on whichever comes first: the handler, the timeout or the batch's cancellation. A
 * handler that ignores its signal keeps running in the background, but its late value is dropped.
 */
function invokeWithDeadline(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  call: ToolCall,
  batch: Batch,
): Promise<ToolOutcome> {
  const parent = batch.options.signal;
  const controller = new AbortController();
  const timeoutMs = tool.timeoutMs ?? batch.timeoutMs;

  return new Promise<ToolOutcome>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const settle = (outcome: ToolOutcome): void => {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = (): void => {
      controller.abort(parent.reason);
      settle(failure('RAMPART_CLIENT_CLOSED', ABORTED_MESSAGE));
    };
    timer = setTimeout(() => {
      const message = `The tool '${tool.name}' did not finish within ${timeoutMs} ms.`;
      controller.abort(new RampartError('RAMPART_TOOL_TIMEOUT', message));
      settle(failure('RAMPART_TOOL_TIMEOUT', message));
    }, timeoutMs);
    parent.addEventListener('abort', onAbort, { once: true });
    if (parent.aborted) return onAbort();

    const context = toolContext(call, controller.signal, batch);
    callHandler(tool, args, context).then(
      (value) => settle(success(value, batch.maxOutputBytes)),
      (error: unknown) => settle(failureFromError(error)),
    );
  });
}

/** Runs the handler so that a synchronous throw becomes a rejection like any other. */
async function callHandler(
  tool: ToolDefinition,
  args: Record<string, unknown>,
  context: ToolContext,
): Promise<unknown> {
  return tool.handler(args, context);
}

function toolContext(call: ToolCall, signal: AbortSignal, batch: Batch): ToolContext {
  const logger = batch.logger.child({ tool: call.name, callId: call.id });
  const context: ToolContext = { principal: batch.options.principal, signal, logger };
  if (batch.options.sessionId !== undefined) context.sessionId = batch.options.sessionId;
  return context;
}

function emit(batch: Batch, event: ToolEvent): void {
  try {
    batch.options.onEvent?.(event);
  } catch (error) {
    batch.logger.warn({ err: error, event: event.type }, 'tool event listener threw');
  }
}

function codeOf(result: ToolResult): Pick<ToolResult, 'errorCode'> {
  return result.errorCode === undefined ? {} : { errorCode: result.errorCode };
}
