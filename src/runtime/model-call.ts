import type { ModelRequest } from '../core/conversation.js';
import { ResponseCollector, type CollectedResponse } from '../core/collect.js';
import type { Turn } from './turn.js';
import type { TurnEvent } from './turn-event.js';

/**
 * One model call: forwards the content events (text and tool-call deltas) as they arrive, keeps
 * `usage`, `finish` and `error` back for the turn to report once at its end, and records the call
 * in the turn.
 */
export async function* callModel(
  turn: Turn,
  request: ModelRequest,
): AsyncGenerator<TurnEvent, CollectedResponse> {
  const route = turn.route;
  if (!route) throw new Error('callModel before the route stage resolved a model');
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
