import { configError } from './config-error.js';
import type { RampartConfig } from './load.js';
import { routingPolicy } from './routing-policy.js';

/**
 * Checks what routing names against the rest of the config: every tier's model exists, no route
 * shadows a model, every tier reference and threshold fits, and an assistant changes only a
 * route it actually uses.
 */
export function checkRoutingReferences(config: RampartConfig): void {
  const fail = (key: string, message: string): never => {
    throw configError(key, message, config.source);
  };
  for (const [routeName, route] of Object.entries(config.routing.routes)) {
    const at = `routing.routes.${routeName}`;
    if (Object.hasOwn(config.models, routeName)) {
      fail(at, `"${routeName}" is also a model name; a route needs a name of its own`);
    }
    for (const [tier, model] of Object.entries(route.models)) {
      if (!Object.hasOwn(config.models, model)) {
        const known = Object.keys(config.models).join(', ');
        fail(`${at}.models.${tier}`, `unknown model "${model}" (known: ${known})`);
      }
    }
    const policy = routingPolicy(route, undefined);
    if ('key' in policy) fail(`${at}.${policy.key}`, policy.message);
  }
  for (const [assistantName, assistant] of Object.entries(config.assistants)) {
    if (!assistant.routing) continue;
    const at = `assistants.${assistantName}.routing`;
    const route = Object.hasOwn(config.routing.routes, assistant.model)
      ? config.routing.routes[assistant.model]
      : undefined;
    if (!route) {
      return fail(
        at,
        `the assistant's model "${assistant.model}" is not a route under routing.routes`,
      );
    }
    for (const [tier, model] of Object.entries(assistant.routing.models ?? {})) {
      if (!Object.hasOwn(config.models, model)) {
        fail(`${at}.models.${tier}`, `unknown model "${model}"`);
      }
    }
    const policy = routingPolicy(route, assistant.routing);
    if ('key' in policy) fail(`${at}.${policy.key}`, policy.message);
  }
}

/** True when `name` is a routing route of this config. */
export function isRoutingRoute(config: Pick<RampartConfig, 'routing'>, name: string): boolean {
  return Object.hasOwn(config.routing.routes, name);
}
