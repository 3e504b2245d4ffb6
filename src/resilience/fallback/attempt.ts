import {
  addUsage,
  countTargetOf,
  estimateUsage,
  RampartError,
  ResponseCollector,
  type CollectedResponse,
  type ModelEvent,
  type ModelRequest,
  type Usage,
} from '../../core/index.js';
import { type AttemptResult, type State } from './call-state.js';
import { ContinuationTrimmer, continuationRequest } from './continuation.js';
import type { AttemptFact, FallbackCall, RouteTarget } from './route-types.js';

/**
 * One call to one target. Content events go out as they come (through the trimmer when this
 * attempt continues an answer); usage is kept in `state`, reported or, for an attempt that
 * produced something, estimated.
 */
export async function* runAttempt(
  call: FallbackCall,
  target: RouteTarget,
  attempt: number,
  state: State,
  now: () => number,
): AsyncGenerator<ModelEvent, AttemptResult> {
  const continuing = state.sentText !== '';
  const base: ModelRequest = { ...call.request, model: target.model };
  const request = continuing ? continuationRequest(base, state.sentText) : base;
  const trimmer = continuing ? new ContinuationTrimmer(state.sentText) : undefined;
  const collector = new ResponseCollector();
  // Held content of a buffered attempt, released only once the attempt has finished; held
  // tool calls of a caller that never shows them, likewise.
  const held: ModelEvent[] | undefined = call.buffered === true ? [] : undefined;
  const heldCalls: ModelEvent[] = [];
  let serving = false;
  const announce = () => {
    if (!serving) call.onServing?.(target);
    serving = true;
  };
  const startedAt = now();
  let firstEventAt: number | undefined;
  let reported: Usage | undefined;
  // Set by a finish or an error event; an error (and its stack) is made only for a stream that
  // ended with neither, since building one on every call cost about 1 % of a request's CPU.
  let ended: AttemptResult | undefined;
  for await (const event of target.provider.stream(request, { signal: call.signal })) {
    collector.add(event);
    if (event.type === 'usage') reported = event.usage;
    else if (event.type === 'finish') ended = { kind: 'finished', finish: event };
    else if (event.type === 'error') ended = { kind: 'failed', error: event.error };
    else if (held) {
      firstEventAt ??= now();
      held.push(event);
    } else if (call.holdToolCalls === true && event.type !== 'text-delta') {
      firstEventAt ??= now();
      heldCalls.push(event);
    } else {
      announce();
      firstEventAt ??= now();
      if (event.type === 'text-delta') {
        const text = trimmer ? trimmer.push(event.text) : event.text;
        if (text === '') continue;
        state.sentText += text;
        yield { type: 'text-delta', text };
      } else {
        const flushed = trimmer?.flush() ?? '';
        if (flushed !== '') {
          state.sentText += flushed;
          yield { type: 'text-delta', text: flushed };
        }
        state.sentToolCall = true;
        yield event;
      }
    }
  }
  const result: AttemptResult = ended ?? {
    kind: 'failed',
    error: new RampartError('RAMPART_UPSTREAM_BAD_RESPONSE', 'The provider ended without a finish'),
  };
  const release = [...(held ?? []), ...heldCalls];
  if (release.length > 0 && result.kind === 'finished') {
    announce();
    for (const event of release) {
      if (event.type === 'text-delta') state.sentText += event.text;
      else state.sentToolCall = true;
      yield event;
    }
  }
  const rest = result.kind === 'finished' ? (trimmer?.flush() ?? '') : '';
  if (rest !== '') {
    state.sentText += rest;
    yield { type: 'text-delta', text: rest };
  }
  const collected = collector.result();
  const finished = result.kind === 'finished';
  const facts = { call, target, request, collected, reported, finished };
  const usage = await attemptUsage(facts);
  if (usage) state.usage = state.usage ? addUsage(state.usage, usage) : usage;
  call.onAttempt({
    target: target.id,
    provider: target.provider.name,
    model: target.model,
    attempt,
    outcome: result.kind === 'finished' ? 'ok' : 'failed',
    continuation: continuing,
    durationMs: now() - startedAt,
    timeToFirstEventMs: firstEventAt === undefined ? undefined : firstEventAt - startedAt,
    usage,
    error: result.kind === 'failed' ? result.error : undefined,
  });
  return result;
}

/**
 * The provider bills what it produced, reported or not: reported usage teaches the counter, an
 * unreported one is counted for the target; a call that produced nothing is free. A stream cut
 * before its end may have reported only what it knew at its start (Anthropic's `message_start`
 * carries the prompt and a placeholder output count): the output it did send is then counted,
 * and the usage marked estimated.
 */
async function attemptUsage(facts: {
  call: FallbackCall;
  target: RouteTarget;
  request: ModelRequest;
  collected: CollectedResponse;
  reported: Usage | undefined;
  finished: boolean;
}): Promise<Usage | undefined> {
  const { call, target, request, collected, reported, finished } = facts;
  const counted = countTargetOf(target);
  if (reported) call.tokens?.observe(counted, request, reported);
  if (reported && finished) return reported;
  const produced = collected.text !== '' || collected.toolCalls.length > 0;
  if (!produced) return reported;
  await call.tokens?.prepare(counted).catch(() => undefined);
  const estimate = estimateUsage(request, collected, call.tokens?.counting(counted));
  if (!reported) return estimate;
  if (reported.outputTokens >= estimate.outputTokens) return reported;
  return { ...reported, outputTokens: estimate.outputTokens, estimated: true };
}

export function skippedFact(
  target: RouteTarget,
  attempt: number,
  continuation: boolean,
  skipReason: AttemptFact['skipReason'],
): AttemptFact {
  return {
    target: target.id,
    provider: target.provider.name,
    model: target.model,
    attempt,
    outcome: 'skipped',
    skipReason,
    continuation,
    durationMs: 0,
    timeToFirstEventMs: undefined,
    usage: undefined,
    error: undefined,
  };
}
