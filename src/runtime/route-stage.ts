import type { RampartConfig } from '../config/index.js';
import { RampartError } from '../core/errors.js';
import type { Provider } from '../providers/provider.js';
import type { TurnStage } from './stage.js';

/**
 * Resolves the model name the client asked for to a provider and its model id. An unknown name
 * is refused before any response is sent, in the shape OpenAI uses for `model_not_found`.
 */
export function routeStage(
  config: RampartConfig,
  providers: ReadonlyMap<string, Provider>,
): TurnStage {
  return {
    name: 'route',
    prepare(turn) {
      const name = turn.input.modelName;
      const model = Object.hasOwn(config.models, name) ? config.models[name] : undefined;
      const provider = model ? providers.get(model.provider) : undefined;
      if (!model || !provider) {
        const known = Object.keys(config.models).join(', ');
        const shown = name.length > 100 ? `${name.slice(0, 100)}…` : name;
        const message = `The model '${shown}' does not exist or you do not have access to it (available: ${known}).`;
        throw new RampartError('RAMPART_UNKNOWN_MODEL', message, { param: 'model' });
      }
      turn.route = { name, provider, upstreamModel: model.model };
    },
  };
}
