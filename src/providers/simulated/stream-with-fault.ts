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
 * report for it: a status becomes an error event, a cut or malformed chunk ends the stream with
 * an error, a hang waits for the abort. An abort ends the stream with `RAMPART_CLIENT_CLOSED`.
 */
export async function* streamWithFault(
  plan: () => ModelEvent[],
  options: StreamWithFaultOptions,
): AsyncGenerator<ModelEvent, void, undefined> {
  const { fault, signal } = options;
  if (fault?.kind === 'status') {
    yield errorEvent(statusFaultError(fault.status, fault.retryAfterSeconds), true);
    return;
  }
  if (fault?.kind === 'hang-before-first-byte') {
    await waitForAbort(signal);
    yield errorEvent(clientClosedError(), true);
    return;
  }
  const events = plan();
  const stopAt =
    fault && 'after' in fault ? Math.min(fault.after, events.length - 1) : events.length;
  const intervalMs = fault?.kind === 'slow-drip' ? { intervalMs: fault.intervalMs } : {};
  let sent = 0;
  let sentContent = false;
  for await (const event of paceEvents(events.slice(0, stopAt), { ...options, ...intervalMs })) {
    sent++;
    sentContent ||= event.type !== 'usage' && event.type !== 'finish';
    yield event;
  }
  if (sent < stopAt) {
    yield errorEvent(clientClosedError(), !sentContent);
    return;
  }
  if (!fault || !('after' in fault)) return;
  if (fault.kind === 'hang-mid-stream') {
    await waitForAbort(signal);
    yield errorEvent(clientClosedError(), !sentContent);
    return;
  }
  yield errorEvent(midStreamFaultError(fault), !sentContent);
}

function errorEvent(error: RampartError, beforeContent: boolean): ModelEvent {
  return { type: 'error', error, beforeContent };
}
