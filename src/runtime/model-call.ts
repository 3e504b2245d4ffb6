import type { ModelRequest } from '../core/conversation.js';
import { ResponseCollector, type CollectedResponse } from '../core/collect.js';
import type { RampartError } from '../core/errors.js';
import { toRampartError } from '../core/errors.js';
import { enterModelCall, type ModelCallRelease, type TurnStage } from './stage.js';
import type { ResolvedModel, Turn } from './turn.js';
import type { TurnEvent } from './turn-event.js';

/**
 * One model call: forwards the content events (text and tool-call deltas) as they arrive, keeps
 * `usage`, `finish` and `error` back for the turn to report once at its end, and records the call
 * in the turn.
 */
export async function* callModel(
  turn: Turn,
  request: ModelRequest,
  stages: readonly TurnStage[],
): AsyncGenerator<TurnEvent, CollectedResponse> {
  const route = turn.route;
  if (!route) throw new Error('callModel before the route stage resolved a model');
  let release: ModelCallRelease;
  try {
    release = await enterModelCall(stages, turn);
  } catch (error) {
    return refusedCall(toRampartError(error));
  }
  try {
    return yield* streamModel(turn, request, route);
  } finally {
    await release();
  }
}

/** The outcome of a model call that was never admitted. */
function refusedCall(error: RampartError): CollectedResponse {
  return { text: '', toolCalls: [], usage: undefined, finishReason: 'error', error };
}

async function* streamModel(
  turn: Turn,
  request: ModelRequest,
  route: ResolvedModel,
): AsyncGenerator<TurnEvent, CollectedResponse> {
  const startedAt = performance.now();
  let firstEventAt: number | undefined;
  const collector = new ResponseCollector();
  const events = route.provider.stream(request, { signal: turn.input.signal });
  for await (const event of events) {
    collector.add(event);
    if (event.type === 'usage' || event.type === 'finish' || event.type === 'error') continue;
    firstEventAt ??= performance.now();
    turn.contentStarted = true;
    yield event;
  }
  const response = collector.result();
  turn.modelCalls.push({
    provider: route.provider.name,
    model: route.upstreamModel,
    durationMs: performance.now() - startedAt,
    timeToFirstEventMs: firstEventAt === undefined ? undefined : firstEventAt - startedAt,
    usage: response.usage,
    finishReason: response.finishReason,
    errorCode: response.error?.code,
  });
  return response;
}
