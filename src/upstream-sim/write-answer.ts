import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { ModelEvent } from '../core/index.js';
import {
  eventDelays,
  sleep,
  statusFaultMessage,
  waitForAbort,
  type PaceSettings,
  type SimulatedFault,
  type SimulatedModel,
} from '../providers/simulated/index.js';
import { cutConnection } from './response-outcome.js';
import { drained, sendError, sendJson } from './send.js';
import type { WireCall, WireError, WireFormat } from './wire-format.js';

/** Everything needed to answer one model call on the wire. */
export interface AnswerContext {
  response: ServerResponse;
  signal: AbortSignal;
  format: WireFormat;
  call: WireCall;
  fault: SimulatedFault | undefined;
  model: SimulatedModel;
  id: string;
  /** Headers every answer carries (request id, simulated marker). */
  headers: OutgoingHttpHeaders;
}

interface Chunk {
  delayMs: number;
  text: string;
}

type MidStreamFault = Extract<SimulatedFault, { after: number }>;

const SSE_HEADERS: OutgoingHttpHeaders = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};

/** Answers a model call, with its fault applied at the wire level. */
export async function writeAnswer(context: AnswerContext): Promise<void> {
  const { fault } = context;
  if (fault?.kind === 'status') return sendStatusFault(context, fault);
  // Accept the request and send nothing at all, not even headers, until the client gives up.
  if (fault?.kind === 'hang-before-first-byte') return waitForAbort(context.signal);
  const events = context.model.plan(context.call.request);
  if (context.call.stream) return writeStream(context, toChunks(context, events));
  const body = context.format.buildResponse(context.call, events, context.id);
  const delayMs = eventDelays(events, paceOf(context)).reduce((sum, delay) => sum + delay, 0);
  return writeBody(context, body, delayMs);
}

function sendStatusFault(
  context: AnswerContext,
  fault: { status: number; retryAfterSeconds?: number },
) {
  const { retryAfterSeconds: retry, status } = fault;
  const headers =
    retry === undefined ? context.headers : { ...context.headers, 'retry-after': String(retry) };
  sendError(
    context.response,
    context.format,
    { status, message: statusFaultMessage(status) },
    headers,
  );
}

function paceOf(context: AnswerContext): PaceSettings {
  const { firstTokenMs, tokensPerSecond } = context.model.settings;
  const drip = context.fault?.kind === 'slow-drip' ? { intervalMs: context.fault.intervalMs } : {};
  return { firstTokenMs, tokensPerSecond, ...drip };
}

/** SSE chunks with the delay before each: a model event's delay goes on its first chunk. */
function toChunks(context: AnswerContext, events: ModelEvent[]): Chunk[] {
  const { groups, tail } = context.format.encodeStream(context.call, events, context.id);
  const delays = eventDelays(events, paceOf(context));
  const drip = context.fault?.kind === 'slow-drip' ? context.fault.intervalMs : undefined;
  const chunks: Chunk[] = [];
  const add = (text: string, eventDelayMs: number) => {
    // A slow drip spaces every event, lifecycle ones included.
    const delayMs = drip !== undefined && chunks.length > 0 ? drip : eventDelayMs;
    chunks.push({ delayMs, text });
  };
  for (const [position, group] of groups.entries()) {
    for (const [index, text] of group.entries())
      add(text, index === 0 ? (delays[position] ?? 0) : 0);
  }
  for (const text of tail) add(text, 0);
  return chunks;
}

async function writeStream(context: AnswerContext, chunks: Chunk[]): Promise<void> {
  const { response, signal } = context;
  response.writeHead(200, { ...SSE_HEADERS, ...context.headers });
  response.flushHeaders();
  const fault = midStreamFault(context.fault);
  // With no delay and no fault there is nothing to space out: one write keeps benchmarks lean.
  if (!fault && chunks.every((chunk) => chunk.delayMs <= 0)) {
    response.end(chunks.map((chunk) => chunk.text).join(''));
    return;
  }
  // The fault never comes after the last event: a cut stream must not have ended cleanly.
  const faultAt = fault ? Math.min(fault.after, chunks.length - 1) : -1;
  for (const [position, chunk] of chunks.entries()) {
    if (!(await sleep(chunk.delayMs, signal))) return;
    if (position === faultAt && fault && (await injectFault(context, fault))) return;
    if (!response.write(chunk.text)) await drained(response, signal);
    if (signal.aborted) return;
  }
  response.end();
}

function midStreamFault(fault: SimulatedFault | undefined): MidStreamFault | undefined {
  return fault && 'after' in fault ? fault : undefined;
}

/** Injects a mid-stream fault; true when the stream is over. */
async function injectFault(context: AnswerContext, fault: MidStreamFault): Promise<boolean> {
  const { response, format } = context;
  switch (fault.kind) {
    case 'cut-mid-stream':
      cutConnection(response);
      return true;
    case 'hang-mid-stream':
      await waitForAbort(context.signal);
      return true;
    case 'in-band-error':
      response.end(format.inBandError(inBandErrorOf(fault)));
      return true;
    case 'malformed-chunk':
      response.write(format.malformedChunk);
      return false;
  }
}

/**
 * A non-streaming answer after the whole answer's simulated time. Mid-stream faults act on the
 * body: a cut or hang sends half of it, a malformed chunk is a truncated body with status 200,
 * an in-band error is the format's error body with status 200.
 */
async function writeBody(context: AnswerContext, body: string, delayMs: number): Promise<void> {
  const { response, signal, headers, fault } = context;
  if (!(await sleep(delayMs, signal))) return;
  const half = body.slice(0, Math.floor(body.length / 2));
  switch (fault?.kind) {
    case 'in-band-error':
      return sendJson(response, 200, context.format.errorBody(inBandErrorOf(fault)), headers);
    case 'malformed-chunk':
      return sendJson(response, 200, half, headers);
    case 'cut-mid-stream':
    case 'hang-mid-stream':
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...headers,
      });
      response.write(half);
      if (fault.kind === 'hang-mid-stream') return waitForAbort(signal);
      return cutConnection(response);
    default:
      return sendJson(response, 200, body, headers);
  }
}

function inBandErrorOf(fault: { status: number }): WireError {
  return { status: fault.status, message: statusFaultMessage(fault.status) };
}
