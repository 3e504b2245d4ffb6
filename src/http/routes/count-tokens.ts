import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../core/principal.js';
import { promptTokens } from '../../cost/index.js';
import { limitHeaders, limitsFor, rateLimitedError } from '../../limits/index.js';
import { parseMessagesRequest } from '../../protocol/anthropic/index.js';
import type { RouteTarget } from '../../resilience/index.js';
import { resolveRoutes, unknownModel } from '../../runtime/index.js';
import type { HttpContext } from '../context.js';

/**
 * The targets a model name may be served by: its own and its fallbacks', or for a routing
 * route (`auto`) those of every model it may choose; an unknown name is refused as a turn's is.
 */
function targetsByName(context: HttpContext) {
  const routes = resolveRoutes(context.config, context.providers);
  const routing = context.config.routing.routes;
  const known = [...routes.keys(), ...Object.keys(routing)];
  return (name: string): readonly RouteTarget[] => {
    const route = routes.get(name);
    if (route) return route.targets;
    const models = Object.hasOwn(routing, name) ? Object.values(routing[name]?.models ?? {}) : [];
    const targets = models.flatMap((model) => routes.get(model)?.targets ?? []);
    if (targets.length === 0) throw unknownModel(name, known);
    return targets;
  };
}

/**
 * A count-tokens body is a messages body that may leave out `max_tokens`; one is put in for
 * the shared parser when it is missing, which then checks every field as `POST /v1/messages`
 * does (a `max_tokens` that is sent included).
 */
function parseCountRequest(body: unknown) {
  const withLimit =
    body !== null && typeof body === 'object' && !Array.isArray(body)
      ? { max_tokens: 1, ...body, stream: false }
      : body;
  return parseMessagesRequest(withLimit);
}

/**
 * A count is no model call, but an exact count of a body at the size limit takes a second of
 * CPU: a user's counts are limited to their requests per minute, in a bucket of their own so
 * that counting does not use up the room of their turns. No limit configured, none here. The
 * answer, or the 429, carries the bucket's reading as the `x-ratelimit-*-requests` headers.
 */
async function admitCount(
  context: HttpContext,
  principal: Principal,
): Promise<Record<string, string>> {
  const limit = limitsFor(context.config.limits, principal).requestsPerMinute;
  if (limit === undefined || context.rateLimits === undefined) return {};
  const key = `count-rpm:${principal.userId}`;
  const result = await context.rateLimits.take(key, { limit, windowMs: 60_000, cost: 1 });
  if (result.allowed) {
    const reading = { limit, remaining: result.remaining, resetAfterMs: result.resetAfterMs };
    return limitHeaders('requests', reading);
  }
  const resetAfterMs = result.retryAfterMs;
  const refused = rateLimitedError(resetAfterMs, 'Your token counting rate');
  throw refused.withHeaders(limitHeaders('requests', { limit, remaining: 0, resetAfterMs }));
}

/**
 * `POST /v1/messages/count_tokens`: the input tokens of a messages request (its system prompt,
 * messages and tools) on the model it names, as Anthropic's endpoint answers it. A name served
 * by several models (fallbacks, a routing route) gets the most any of them counts: that is what
 * a budget reserves. What Rampart adds to a turn (the assistant's system prompt, the canary,
 * fenced tool results) is not in the count, nor what pruning would leave out.
 */
export function registerCountTokens(app: FastifyInstance, context: HttpContext) {
  const { tokens } = context;
  const targetsFor = targetsByName(context);
  const options = { config: { errorShape: 'anthropic' as const } };
  app.post('/v1/messages/count_tokens', options, async (request, reply) => {
    // A request refused for its body or its model counts nothing and takes nothing from the limit.
    const parsed = parseCountRequest(request.body);
    const targets = targetsFor(parsed.model);
    reply.headers(await admitCount(context, request.principal));
    const { messages, tools } = parsed.request;
    return { input_tokens: promptTokens({ messages, tools }, { targets, tokens }) };
  });
}
