import type {
  EscalationConfig,
  RoutingOverrideConfig,
  RoutingRouteConfig,
} from './routing-schema.js';

/** Most tiers one route may have: more would be hard to reason about and to explain. */
export const MAX_ROUTING_TIERS = 8;
/** Points between the default thresholds of neighbouring tiers. */
export const DEFAULT_THRESHOLD_STEP = 2;

/** One tier of a routing policy: the model it sends to and the least score that reaches it. */
export interface RoutingTier {
  name: string;
  model: string;
  threshold: number;
}

/** A route with an assistant's changes applied and every default filled in. */
export interface RoutingPolicy {
  /** Cheapest first. */
  tiers: readonly RoutingTier[];
  /** Index into `tiers`. */
  defaultTier: number;
  /** Index into `tiers` by principal tier. */
  principalTiers: ReadonlyMap<string, number>;
  escalation: EscalationConfig;
}

/** Why a route (or an assistant's changes to it) cannot be used: the key and the reason. */
export interface RoutingProblem {
  key: string;
  message: string;
}

/**
 * Builds the policy of a route, with an assistant's changes when given. Returns the first
 * problem instead when a tier reference or a threshold does not fit; the config loader reports
 * it under the key it names, relative to the route or the assistant's `routing`.
 */
export function routingPolicy(
  route: RoutingRouteConfig,
  override: RoutingOverrideConfig | undefined,
): RoutingPolicy | RoutingProblem {
  const models = Object.entries(override?.models ?? route.models);
  if (models.length === 0) return { key: 'models', message: 'at least one tier is required' };
  if (models.length > MAX_ROUTING_TIERS) {
    return { key: 'models', message: `at most ${MAX_ROUTING_TIERS} tiers` };
  }
  const names = models.map(([name]) => name);
  const thresholds = { ...route.thresholds, ...override?.thresholds };
  const tiers = tiersOf(models, thresholds);
  if ('key' in tiers) return tiers;
  const indexOf = (key: string, tier: string): number | RoutingProblem => {
    const index = names.indexOf(tier);
    return index >= 0
      ? index
      : { key, message: `unknown tier "${tier}" (tiers: ${names.join(', ')})` };
  };
  const defaultTier = indexOf(
    'defaultTier',
    override?.defaultTier ?? route.defaultTier ?? names[0]!,
  );
  if (typeof defaultTier !== 'number') return defaultTier;
  const principalTiers = new Map<string, number>();
  for (const [principal, tier] of Object.entries({
    ...route.principalTiers,
    ...override?.principalTiers,
  })) {
    const index = indexOf(`principalTiers.${principal}`, tier);
    if (typeof index !== 'number') return index;
    principalTiers.set(principal, index);
  }
  const escalation = override?.escalation ?? route.escalation;
  return { tiers, defaultTier, principalTiers, escalation };
}

function tiersOf(
  models: ReadonlyArray<[string, string]>,
  thresholds: Readonly<Record<string, number>>,
): RoutingTier[] | RoutingProblem {
  const names = models.map(([name]) => name);
  for (const tier of Object.keys(thresholds)) {
    if (!names.includes(tier)) {
      return { key: `thresholds.${tier}`, message: `unknown tier (tiers: ${names.join(', ')})` };
    }
    if (tier === names[0]) {
      return {
        key: `thresholds.${tier}`,
        message: 'the first tier has no threshold: it is the floor',
      };
    }
  }
  const tiers: RoutingTier[] = [];
  for (const [index, [name, model]] of models.entries()) {
    const threshold = index === 0 ? 0 : (thresholds[name] ?? index * DEFAULT_THRESHOLD_STEP);
    const below = tiers.at(-1);
    if (below && threshold <= below.threshold) {
      const message = `must be above the threshold of "${below.name}" (${below.threshold})`;
      return { key: `thresholds.${name}`, message };
    }
    tiers.push({ name, model, threshold });
  }
  return tiers;
}
