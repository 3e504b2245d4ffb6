import type { FastifyInstance } from 'fastify';
import { RampartError } from '../../core/errors.js';
import type { HttpContext } from '../context.js';

/**
 * One entry of `/v1/models`: OpenAI's fields, Anthropic's (`type`, `display_name`,
 * `created_at`), then ours. Each SDK ignores the fields it does not know, so one shape serves
 * both, with no need to tell the clients apart.
 */
interface ModelEntry {
  id: string;
  object: 'model';
  created: number;
  owned_by: 'rampart';
  type: 'model';
  display_name: string;
  created_at: string;
  provider: string;
  simulated: boolean;
  description: string | null;
  /** Set on routing routes: the model each tier sends to, cheapest first. */
  routing?: { tiers: Readonly<Record<string, string>> };
}

function modelEntries(context: HttpContext, created: number): ModelEntry[] {
  const shared = {
    object: 'model',
    created,
    owned_by: 'rampart',
    type: 'model',
    created_at: new Date(created * 1000).toISOString(),
  } as const;
  const data: ModelEntry[] = Object.entries(context.config.models).map(([id, model]) => ({
    id,
    ...shared,
    display_name: id,
    // Extra fields: OpenAI clients ignore them; people reading the list learn what is real.
    provider: model.provider,
    simulated: context.providers.get(model.provider)?.simulated ?? false,
    description: model.description ?? null,
  }));
  const simulated = (name: string) => data.find((entry) => entry.id === name)?.simulated ?? false;
  // Routing routes are asked for like models; their tiers say which models they choose among.
  for (const [id, route] of Object.entries(context.config.routing.routes)) {
    data.push({
      id,
      ...shared,
      display_name: id,
      provider: 'rampart-routing',
      simulated: Object.values(route.models).every(simulated),
      description: route.description ?? null,
      routing: { tiers: route.models },
    });
  }
  return data;
}

/**
 * `GET /v1/models` and `GET /v1/models/{id}`: the configured model names, in OpenAI's shape with
 * Anthropic's list fields beside (the whole list is one page).
 */
export function registerModels(app: FastifyInstance, context: HttpContext) {
  const data = modelEntries(context, Math.floor(Date.now() / 1000));
  const page = { has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  app.get('/v1/models', () => ({ object: 'list', data, ...page }));
  app.get<{ Params: { id: string } }>('/v1/models/:id', (request) => {
    const model = data.find((entry) => entry.id === request.params.id);
    if (model) return model;
    const message = `The model '${request.params.id}' does not exist.`;
    throw new RampartError('RAMPART_UNKNOWN_MODEL', message, { param: 'model' });
  });
}
