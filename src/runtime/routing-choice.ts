import { routingPolicy, type RampartConfig, type RoutingPolicy } from '../config/index.js';
import { decideRoute } from '../cost/index.js';
import type { Turn } from './turn.js';

/**
 * The routing routes of a config, each with its policy and those of the assistants that change
 * it, built once: config is frozen after loading, and the loader has checked every reference.
 */
export class RoutingTable {
  private readonly policies = new Map<string, RoutingPolicy>();

  constructor(private readonly config: RampartConfig) {
    for (const [name, route] of Object.entries(config.routing.routes)) {
      this.policies.set(name, checked(routingPolicy(route, undefined)));
    }
    for (const [name, assistant] of Object.entries(config.assistants)) {
      const route = this.config.routing.routes[assistant.model];
      if (!assistant.routing || !route) continue;
      this.policies.set(assistantKey(name), checked(routingPolicy(route, assistant.routing)));
    }
  }

  names(): string[] {
    return Object.keys(this.config.routing.routes);
  }

  has(name: string): boolean {
    return Object.hasOwn(this.config.routing.routes, name);
  }

  /** Chooses the model of a turn that asked for a routing route, and records why on the turn. */
  choose(turn: Turn): string {
    const { input } = turn;
    const own =
      input.assistant === undefined ? undefined : this.policies.get(assistantKey(input.assistant));
    const assistant =
      input.assistant === undefined ? undefined : this.config.assistants[input.assistant];
    const policy =
      (assistant?.model === input.modelName ? own : undefined) ??
      this.policies.get(input.modelName)!;
    const { decision, statePatch } = decideRoute({
      route: input.modelName,
      policy,
      messages: input.messages,
      toolsOffered: input.clientTools?.length ?? input.serverTools?.names.length ?? 0,
      principalTier: input.principal.tier,
      state: input.sessionId === undefined ? undefined : input.sessionState,
      resumed: input.resume !== undefined,
    });
    turn.routing = decision;
    // Only a session keeps state; a stateless request's escalation lasts for itself alone.
    if (statePatch && input.sessionId !== undefined) Object.assign(turn.statePatch, statePatch);
    return decision.model;
  }
}

/** Assistant policies share the map with routes under a prefix no route name can have. */
function assistantKey(name: string): string {
  return `assistant/${name}`;
}

function checked(policy: ReturnType<typeof routingPolicy>): RoutingPolicy {
  if ('key' in policy) throw new Error(`routing config not checked at load: ${policy.key}`);
  return policy;
}
