import type { FastifyRequest } from 'fastify';
import type { PreparedTurn, TraceContextHeaders } from '../runtime/index.js';

/**
 * The W3C Trace Context a client sent with its request, handed to the turn as received. The
 * tracer validates it (an invalid one starts a new trace, as the spec asks: it is never an
 * error for the client), and ignores it when tracing is off.
 */
export function traceContextOf(request: FastifyRequest): TraceContextHeaders | undefined {
  const { traceparent, tracestate } = request.headers;
  if (typeof traceparent !== 'string') return undefined;
  return typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
}

/**
 * `x-rampart-trace-id` on the answer to a traced turn: a client (or whoever reports a problem)
 * can quote it to find the trace, whether or not it sent a `traceparent` of its own.
 */
export function traceHeaders(prepared: PreparedTurn): Record<string, string> {
  return prepared.traceId ? { 'x-rampart-trace-id': prepared.traceId } : {};
}
