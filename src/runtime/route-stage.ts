import type { RampartConfig } from '../config/index.js';
import { RampartError } from '../core/errors.js';
import type { Provider } from '../providers/provider.js';
import type { FallbackPolicy, RouteTarget } from '../resilience/index.js';
import { RoutingTable } from './routing-choice.js';
import type { TurnStage } from './stage.js';
import type { ResolvedModel } from './turn.js';

/**
 * Resolves the model name the client asked for to its route: the primary target and its
 * fallbacks, each a provider and that provider's model id. A routing route (`auto`) first
 * chooses one of its models for the request. An unknown name is refused before any response is
 * sent, in the shape OpenAI uses for `model_not_found`.
 */
export function routeStage(
  config: RampartConfig,
  providers: ReadonlyMap<string, Provider>,
): TurnStage {
  const routes = resolveRoutes(config, providers);
  const routing = new RoutingTable(config);
  return {
    name: 'route',
    prepare(turn) {
      const asked = turn.input.modelName;
      const name = routing.has(asked) ? routing.choose(turn) : asked;
      const route = routes.get(name);
      if (!route) throw unknownModel(name, [...routes.keys(), ...routing.names()]);
      turn.route = route;
    },
  };
}

/** The refusal of a model name no route has, in the shape OpenAI uses for `model_not_found`. */
export function unknownModel(name: string, known: readonly string[]): RampartError {
  const shown = name.length > 100 ? `${name.slice(0, 100)}…` : name;
  const message = `The model '${shown}' does not exist or you do not have access to it (available: ${known.join(', ')}).`;
  return new RampartError('RAMPART_UNKNOWN_MODEL', message, { param: 'model' });
}

/**
 * Every configured model name's route, built once: config is frozen after loading. Budgets use
 * it to find the route a turn downgrades to.
 */
export function resolveRoutes(config: RampartConfig, providers: ReadonlyMap<string, Provider>) {
  const { retry, deadlineMs } = config.resilience;
  const routes = new Map<string, ResolvedModel>();
  for (const [name, model] of Object.entries(config.models)) {
    const targets: RouteTarget[] = [];
    for (const target of [model, ...model.fallbacks]) {
      const provider = providers.get(target.provider);
      if (!provider) continue;
      targets.push({ provider, model: target.model, id: `${target.provider}/${target.model}` });
    }
    if (targets.length === 0) continue;
    const policy: FallbackPolicy = {
      retry,
      deadlineMs,
      continueOnFailure: model.continueOnFailure,
      fallbackOnStatus: new Set(model.fallbackOnStatus),
    };
    routes.set(name, { name, targets, policy });
  }
  return routes;
}
