import type { Logger } from '../../core/index.js';
import type { ResolverInput, ToolResolver } from './policy-types.js';

/** Runs named resolvers, turning every failure into a denial with a reason. */
export interface ResolverRunner {
  run(name: string, input: ResolverInput): Promise<{ allowed: boolean; reason: string }>;
}

const DEFAULT_DENIAL = 'the caller may not act on this';

export function resolverRunner(
  resolvers: ReadonlyMap<string, ToolResolver>,
  logger: Logger,
): ResolverRunner {
  return {
    async run(name, input) {
      const resolver = resolvers.get(name);
      // Config is checked against the registered resolvers at start; this guards code paths
      // that build policies later.
      if (!resolver) return { allowed: false, reason: `no resolver named '${name}' is registered` };
      try {
        const answer: unknown = await resolver(input);
        // Only a literal `true` allows: a resolver written in plain JavaScript that answers
        // `'false'`, `1` or `{ allowed: 'no' }` has made a mistake, and a mistake denies.
        if (typeof answer === 'boolean') return { allowed: answer, reason: DEFAULT_DENIAL };
        if (typeof answer !== 'object' || answer === null) {
          logger.error(
            { resolver: name, tool: input.tool },
            'tool resolver answered neither a boolean nor a decision',
          );
          return { allowed: false, reason: 'the authorization check failed' };
        }
        const { allowed, reason } = answer as { allowed?: unknown; reason?: unknown };
        return {
          allowed: allowed === true,
          reason: typeof reason === 'string' ? reason : DEFAULT_DENIAL,
        };
      } catch (error) {
        logger.error({ err: error, resolver: name, tool: input.tool }, 'tool resolver failed');
        return { allowed: false, reason: 'the authorization check failed' };
      }
    },
  };
}
