import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { invalidRequestFromIssues, toRampartError } from '../core/index.js';
import type { SimulatedFaultRule, SimulatedModel } from '../providers/simulated/index.js';
import { readBody } from './read-body.js';
import { sendError, sendJson } from './send.js';
import type { WireError, WireFormat } from './wire-format.js';

/** What the fault routes need from the simulator. */
export interface FaultsRouteState {
  model: SimulatedModel;
  maxBodyBytes: number;
  /** Admin errors use the OpenAI error shape. */
  openai: WireFormat;
}

/**
 * The JSON shape of a rule: types and known keys only. What the values mean (a known kind, fields
 * that belong to it, ranges, a probability from 0 to 1) is checked by the model, exactly as for
 * rules given at start.
 */
const ruleSchema = z.strictObject({
  kind: z.string(),
  probability: z.number().optional(),
  match: z.string().optional(),
  status: z.number().optional(),
  retryAfterSeconds: z.number().optional(),
  after: z.number().optional(),
  intervalMs: z.number().optional(),
});

const faultsBodySchema = z.strictObject({ faults: z.array(ruleSchema) });

/** `GET /__faults`: the rules in force, in the shape `PUT /__faults` takes. */
export function sendFaults(response: ServerResponse, model: SimulatedModel): void {
  sendJson(response, 200, JSON.stringify({ faults: model.settings.faults }));
}

/** `PUT /__faults`: replaces every rule at once, or, for a bad body, none. */
export async function replaceFaults(
  request: IncomingMessage,
  response: ServerResponse,
  state: FaultsRouteState,
): Promise<void> {
  const read = await readBody(request, state.maxBodyBytes);
  if (!read.ok) {
    if (read.reason === 'aborted') return;
    const message = `Request body is larger than ${state.maxBodyBytes} bytes`;
    return sendError(response, state.openai, { status: 413, message }, { connection: 'close' });
  }
  const refusal = applyFaults(state.model, read.text);
  if (refusal) return sendError(response, state.openai, refusal);
  sendFaults(response, state.model);
}

/** Parses and sets the rules; the refusal when the body is not a valid `{faults: [...]}`. */
function applyFaults(model: SimulatedModel, text: string): WireError | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { status: 400, message: `Request body is not valid JSON: ${reason}` };
  }
  const parsed = faultsBodySchema.safeParse(body);
  if (!parsed.success) return refusalOf(invalidRequestFromIssues(parsed.error.issues));
  try {
    // The kind is only a string here; the model refuses one it does not know.
    model.setFaults(parsed.data.faults as SimulatedFaultRule[]);
    return undefined;
  } catch (error) {
    return refusalOf(toRampartError(error));
  }
}

function refusalOf(error: { message: string; param: string | undefined }): WireError {
  return { status: 400, message: error.message, param: error.param };
}
