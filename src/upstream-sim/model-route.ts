import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { toRampartError } from '../core/index.js';
import { parseFaultSpec, type SimulatedModel } from '../providers/simulated/index.js';
import { readBody } from './read-body.js';
import type { RequestEntry } from './request-log.js';
import { closeSignal, sendError } from './send.js';
import type { WireFormat } from './wire-format.js';
import { writeAnswer } from './write-answer.js';

/** What a model route needs from the simulator. */
export interface ModelRouteState {
  model: SimulatedModel;
  maxBodyBytes: number;
}

/** The request header that injects a fault, in the same grammar as the in-message directive. */
export const FAULT_HEADER = 'x-sim-fault';

/** One API request being served, with its entry in the request log. */
export interface ApiExchange {
  request: IncomingMessage;
  response: ServerResponse;
  entry: RequestEntry;
}

/** `POST /v1/chat/completions` or `POST /v1/messages`: read, validate, pick the fault, answer. */
export async function serveModelCall(
  exchange: ApiExchange,
  format: WireFormat,
  state: ModelRouteState,
): Promise<void> {
  const { request, response } = exchange;
  const signal = closeSignal(response);
  const read = await readBody(request, state.maxBodyBytes);
  if (!read.ok) {
    if (read.reason === 'aborted') return;
    const message = `Request body is larger than ${state.maxBodyBytes} bytes`;
    return sendError(response, format, { status: 413, message }, { connection: 'close' });
  }
  const body = parseJson(read.text);
  exchange.entry.setBody(body.ok ? body.value : read.text);
  if (!body.ok) return sendError(response, format, { status: 400, message: body.message });
  const header = headerFault(request);
  if (header?.ok === false) {
    const message = `${FAULT_HEADER}: ${header.reason}`;
    return sendError(response, format, { status: 400, message, param: FAULT_HEADER });
  }
  const call = parseCall(format, body.value);
  if (!call.ok) return sendError(response, format, call.error);
  const fault = header?.ok ? header.fault : state.model.chooseFault(call.value.request);
  const hex = responseHex(read.text, state.model.settings.seed);
  const headers = { [format.requestIdHeader]: `req_${hex}`, 'x-rampart-simulated': 'true' };
  const id = `${format.idPrefix}${hex}`;
  await writeAnswer({
    response,
    signal,
    format,
    call: call.value,
    fault,
    model: state.model,
    id,
    headers,
  });
}

function headerFault(request: IncomingMessage) {
  const value = request.headers[FAULT_HEADER];
  return typeof value === 'string' ? parseFaultSpec(value) : undefined;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

function parseJson(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Request body is not valid JSON: ${reason}` };
  }
}

function parseCall(format: WireFormat, body: unknown) {
  try {
    return { ok: true as const, value: format.parse(body) };
  } catch (error) {
    const { status, message, param } = toRampartError(error);
    return { ok: false as const, error: { status, message, param } };
  }
}

/** Ids derived from the body and seed, so the same request always gives the same bytes. */
function responseHex(body: string, seed: number): string {
  return createHash('sha256').update(`${seed}:${body}`).digest('hex').slice(0, 24);
}
