import type { FastifyRequest } from 'fastify';
import type { TraceContextHeaders } from '../runtime/index.js';

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
