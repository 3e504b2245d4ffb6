import { z } from 'zod';

/**
 * Model routing: named routes that pick one of several configured models per request, from the
 * principal's tier, a complexity estimate of the request and escalation signals. A route name is
 * asked for like a model name (`model: auto`) and may be an assistant's model.
 */

const tierName = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_-]{0,31}$/,
    'must be 1-32 letters, digits, _ -, starting with a letter',
  );
const routeName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/, 'must be 1-64 letters, digits, _ . : -');
const modelName = z.string().min(1).max(64);
/** Complexity scores are points; no sensible threshold is anywhere near this. */
const score = z.number().nonnegative().max(1_000);

export const ESCALATION_SIGNALS = ['tool-error', 'retry', 'down-rating'] as const;
export type EscalationSignal = (typeof ESCALATION_SIGNALS)[number];

export const escalationSchema = z
  .strictObject({
    /** Signals that count towards escalation. Default: all of `tool-error`, `retry`, `down-rating`. */
    signals: z
      .array(z.enum(ESCALATION_SIGNALS))
      .max(ESCALATION_SIGNALS.length)
      .default([...ESCALATION_SIGNALS]),
    /** Distinct signals one request needs before it escalates. Default 1. */
    minSignals: z.number().int().min(1).max(ESCALATION_SIGNALS.length).default(1),
    /** Failed tool results since the user's previous message that make a `tool-error` signal. Default 1. */
    toolErrors: z.number().int().min(1).max(1_000).default(1),
    /** Tiers an escalation climbs above the tier the request would otherwise get. Default 1. */
    steps: z.number().int().min(1).max(16).default(1),
    /**
     * Turns after the escalating one that a session stays on the escalated tier (counted down in
     * the session's state). 0: only the escalating turn. Default 3.
     */
    stickyTurns: z.number().int().min(0).max(1_000).default(3),
  })
  .prefault({});

/** What an assistant may change of the route it names as its model. */
export const routingOverrideSchema = z.strictObject({
  /** Replaces the route's models by tier, cheapest first. Default: the route's. */
  models: z.record(tierName, modelName).optional(),
  /** Replaces the route's default tier. Default: the route's. */
  defaultTier: tierName.optional(),
  /** Merged over the route's tier defaults by principal tier. Default: the route's. */
  principalTiers: z.record(z.string().min(1).max(64), tierName).optional(),
  /** Merged over the route's thresholds. Default: the route's. */
  thresholds: z.record(tierName, score).optional(),
  /** Replaces the route's escalation rules, each field defaulting as under a route. */
  escalation: escalationSchema.optional(),
});

export const routingRouteSchema = z.strictObject({
  /** Shown in `/v1/models`. */
  description: z.string().max(500).optional(),
  /**
   * Model names (entries under `models`) by tier name, ordered from the cheapest to the most
   * capable, e.g. `{small: fast-model, large: smart-model}`. At least one; at most 8.
   */
  models: z.record(tierName, modelName),
  /** Tier of a request that no rule lifts. Default: the first (cheapest) tier. */
  defaultTier: tierName.optional(),
  /**
   * Tier by principal tier (the API key's `tier`), e.g. `{premium: large}`: the least tier that
   * principal's requests get, in place of `defaultTier`. Default none.
   */
  principalTiers: z.record(z.string().min(1).max(64), tierName).default({}),
  /**
   * Least complexity score for each tier but the first, rising with the tiers. Default: 2 points
   * for the second tier, 4 for the third, and so on.
   */
  thresholds: z.record(tierName, score).default({}),
  escalation: escalationSchema,
});

export const routingSchema = z
  .strictObject({
    /** Routes by the name clients ask for, e.g. `auto`. Default none. */
    routes: z.record(routeName, routingRouteSchema).default({}),
  })
  .prefault({});

export type EscalationConfig = z.output<typeof escalationSchema>;
export type RoutingRouteConfig = z.output<typeof routingRouteSchema>;
export type RoutingOverrideConfig = z.output<typeof routingOverrideSchema>;
export type RoutingConfig = z.output<typeof routingSchema>;
