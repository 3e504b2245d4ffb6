import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PrepareOptions, TraceContextHeaders } from '../runtime/index.js';

/**
 * The W3C Trace Context a client sent with its request, handed to the turn as received. The
 * tracer validates it (an invalid one starts a new trace, as the spec asks: it is never an
 * error for the client), and ignores it when tracing is off.
 */
export function traceContextOf(request: FastifyRequest): TraceContextHeaders | undefined {
  return traceContextIn(request.headers);
}

/** `traceparent` and `tracestate` from headers or a stored record, each only if it is a string. */
export function traceContextIn(
  fields: Readonly<Record<string, unknown>>,
): TraceContextHeaders | undefined {
  const { traceparent, tracestate } = fields;
  if (typeof traceparent !== 'string') return undefined;
  return typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
}

/**
 * Names a traced turn's trace on its answer (`x-rampart-trace-id`), as soon as the trace starts,
 * so a refusal carries it too: a client, or whoever reports a problem, can quote it whether or
 * not it sent a `traceparent` of its own. Set on this request's own reply, so it can never name
 * another request's trace.
 */
export function nameTrace(reply: FastifyReply): PrepareOptions {
  return { onTraced: (traceId) => void reply.header('x-rampart-trace-id', traceId) };
}
