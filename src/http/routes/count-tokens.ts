import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../core/principal.js';
import { RampartError } from '../../core/errors.js';
import { promptTokens } from '../../cost/index.js';
import { limitsFor, rateLimitedError } from '../../limits/index.js';
import { parseMessagesRequest } from '../../protocol/anthropic/index.js';
import type { RouteTarget } from '../../resilience/index.js';
import { resolveRoutes } from '../../runtime/index.js';
import type { HttpContext } from '../context.js';

/**
 * The targets a model name may be served by: its own and its fallbacks', or for a routing
 * route (`auto`) those of every model it may choose. Undefined for an unknown name.
 */
function targetsByName(context: HttpContext): (name: string) => readonly RouteTarget[] | undefined {
  const routes = resolveRoutes(context.config, context.providers);
  const routing = context.config.routing.routes;
  return (name) => {
    const route = routes.get(name);
    if (route) return route.targets;
    if (!Object.hasOwn(routing, name)) return undefined;
    const models = Object.values(routing[name]?.models ?? {});
    return models.flatMap((model) => routes.get(model)?.targets ?? []);
  };
}

/**
 * A count-tokens body is a messages body without `max_tokens`; one is put in for the shared
 * parser, which then checks every other field as `POST /v1/messages` does.
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
 * that counting does not use up the room of their turns. No limit configured, none here.
 */
async function admitCount(context: HttpContext, principal: Principal): Promise<void> {
  const limit = limitsFor(context.config.limits, principal).requestsPerMinute;
  if (limit === undefined || context.rateLimits === undefined) return;
  const key = `count-rpm:${principal.userId}`;
  const result = await context.rateLimits.take(key, { limit, windowMs: 60_000, cost: 1 });
  if (!result.allowed) throw rateLimitedError(result.retryAfterMs, 'Your token counting rate');
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
  app.post(
    '/v1/messages/count_tokens',
    { config: { errorShape: 'anthropic' } },
    async (request) => {
      await admitCount(context, request.principal);
      const parsed = parseCountRequest(request.body);
      const targets = targetsFor(parsed.model);
      if (targets === undefined || targets.length === 0) {
        const shown = parsed.model.length > 100 ? `${parsed.model.slice(0, 100)}…` : parsed.model;
        const message = `The model '${shown}' does not exist or you do not have access to it.`;
        throw new RampartError('RAMPART_UNKNOWN_MODEL', message, { param: 'model' });
      }
      const { messages, tools } = parsed.request;
      return { input_tokens: promptTokens({ messages, tools }, { targets, tokens }) };
    },
  );
}
