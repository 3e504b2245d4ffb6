import type { FastifyInstance } from 'fastify';
import { RampartError } from '../../core/errors.js';
import type { HttpContext } from '../context.js';

/** `GET /v1/models` and `GET /v1/models/{id}`: the configured model names, in OpenAI's shape. */
export function registerModels(app: FastifyInstance, context: HttpContext) {
  const created = Math.floor(Date.now() / 1000);
  const data = Object.entries(context.config.models).map(([id, model]) => ({
    id,
    object: 'model',
    created,
    owned_by: 'rampart',
    // Extra fields: OpenAI clients ignore them; people reading the list learn what is real.
    provider: model.provider,
    simulated: context.providers.get(model.provider)?.simulated ?? false,
    description: model.description ?? null,
  }));
  app.get('/v1/models', () => ({ object: 'list', data }));
  app.get<{ Params: { id: string } }>('/v1/models/:id', (request) => {
    const model = data.find((entry) => entry.id === request.params.id);
    if (model) return model;
    const message = `The model '${request.params.id}' does not exist.`;
    throw new RampartError('RAMPART_UNKNOWN_MODEL', message, { param: 'model' });
  });
}
