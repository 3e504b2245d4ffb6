import type { ModelEvent, ModelRequest } from '../core/index.js';

/** A parsed API request, in neutral terms plus what the wire answer needs. */
export interface WireCall {
  request: ModelRequest;
  stream: boolean;
  /** The model id the answer reports: always a simulated one. */
  model: string;
  /** OpenAI's `stream_options.include_usage`. */
  includeUsage: boolean;
}

/** An error to send in the format's own error shape. */
export interface WireError {
  status: number;
  message: string;
  /** The request field at fault, when there is one. */
  param?: string | undefined;
}

/** The SSE text of one answer: one group per model event, then the closing events. */
export interface EncodedStream {
  groups: string[][];
  tail: string[];
}

/** One wire format served by the simulator (OpenAI Chat Completions or Anthropic Messages). */
export interface WireFormat {
  /** Validates a JSON body. Throws a RampartError (with `param`) for an invalid one. */
  parse(body: unknown): WireCall;
  /** Encodes a whole answer's events as SSE text, exactly as the real API streams them. */
  encodeStream(call: WireCall, events: readonly ModelEvent[], id: string): EncodedStream;
  /** The non-streaming response body (JSON text). */
  buildResponse(call: WireCall, events: readonly ModelEvent[], id: string): string;
  /** An error response body (JSON text) in the format's shape. */
  errorBody(error: WireError): string;
  /** The SSE text of the format's in-band error event. */
  inBandError(error: WireError): string;
  /** The SSE text of one event whose data is not valid JSON. */
  readonly malformedChunk: string;
  /** The prefix of response ids, e.g. `chatcmpl-`. */
  readonly idPrefix: string;
  /** The response header that carries the request id. */
  readonly requestIdHeader: string;
}

/**
 * The `created` time of every simulated completion (2026-01-01T00:00:00Z). It is fixed so that
 * the same request always gives the same bytes.
 */
export const SIMULATED_CREATED = 1_767_225_600;

/** The model a response reports: the requested one when it is simulated, else the default. */
export function reportedModel(requested: string, fallback: string): string {
  return requested.startsWith('rampart-sim') ? requested : fallback;
}
