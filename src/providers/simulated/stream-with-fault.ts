import type { ModelEvent, RampartError } from '../../core/index.js';
import type { SimulatedFault } from './fault.js';
import { clientClosedError, midStreamFaultError, statusFaultError } from './fault-errors.js';
import { paceEvents, waitForAbort } from './pace.js';

export interface StreamWithFaultOptions {
  fault: SimulatedFault | undefined;
  signal: AbortSignal | undefined;
  firstTokenMs: number;
  tokensPerSecond: number;
}

/**
 * Streams planned events with one fault applied, as the neutral outcome an HTTP provider would
 * report for it: a status becomes an error event, a cut ends the stream with an error, a hang
 * waits for the abort, and a malformed chunk is skipped as the HTTP clients skip it. An abort ends the stream with `RAMPART_CLIENT_CLOSED`.
 */
export async function* streamWithFault(
  plan: () => ModelEvent[],
  options: StreamWithFaultOptions,
): AsyncGenerator<ModelEvent, void, undefined> {
  const { fault, signal } = options;
  if (fault?.kind === 'status' || fault?.kind === 'hang-before-first-byte') {
    yield await failBeforeFirstByte(fault, signal);
    return;
  }
  const events = plan();
  // The HTTP clients skip a payload that is not JSON (field case P04) and the wire simulator
  // sends the rest of the answer after it, so in process a malformed chunk changes nothing.
  const midStream =
    fault && 'after' in fault && fault.kind !== 'malformed-chunk' ? fault : undefined;
  // A mid-stream fault always replaces the finish: the stream must not look complete.
  const stopAt = midStream ? Math.min(midStream.after, events.length - 1) : events.length;
  const drip = fault?.kind === 'slow-drip' ? { intervalMs: fault.intervalMs } : {};
  let sent = 0;
  let sentContent = false;
  for await (const event of paceEvents(events.slice(0, stopAt), { ...options, ...drip })) {
    sent++;
    sentContent ||= event.type !== 'usage' && event.type !== 'finish';
    yield event;
  }
  if (sent < stopAt) yield errorEvent(clientClosedError(), !sentContent);
  else if (midStream) yield await midStreamEnding(midStream, signal, !sentContent);
}

async function failBeforeFirstByte(
  fault: Extract<SimulatedFault, { kind: 'status' | 'hang-before-first-byte' }>,
  signal: AbortSignal | undefined,
): Promise<ModelEvent> {
  if (fault.kind === 'status') {
    return errorEvent(statusFaultError(fault.status, fault.retryAfterSeconds), true);
  }
  await waitForAbort(signal);
  return errorEvent(clientClosedError(), true);
}

async function midStreamEnding(
  fault: Extract<SimulatedFault, { after: number }>,
  signal: AbortSignal | undefined,
  beforeContent: boolean,
): Promise<ModelEvent> {
  if (fault.kind !== 'hang-mid-stream')
    return errorEvent(midStreamFaultError(fault), beforeContent);
  await waitForAbort(signal);
  return errorEvent(clientClosedError(), beforeContent);
}

function errorEvent(error: RampartError, beforeContent: boolean): ModelEvent {
  return { type: 'error', error, beforeContent };
}
