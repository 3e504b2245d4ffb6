import type { Principal } from '../../core/index.js';
import type { RateLimitStore } from '../../store/index.js';
import { checkArguments } from './argument-rules.js';
import type { AuthorizationVerdict, ToolPolicy } from './policy-types.js';
import type { ResolverRunner } from './resolvers.js';
import type { AuthorizationRequest } from './tool-authorizer.js';

/** What deciding a call needs besides its policy. */
export interface DecisionContext {
  unlisted: 'allow' | 'deny';
  resolvers: ResolverRunner;
  rateLimits: RateLimitStore;
}

const RATE_WINDOW_MS = 60_000;

function roleAllowed(policy: ToolPolicy, principal: Principal): boolean {
  const roles = policy.roles;
  return roles === undefined || roles.includes('*') || roles.includes(principal.role);
}

function missingPermission(policy: ToolPolicy, principal: Principal): string | undefined {
  const held = new Set(principal.permissions);
  if (held.has('*')) return undefined;
  return policy.permissions?.find((permission) => !held.has(permission));
}

export function verdict(decision: AuthorizationVerdict['decision'], rule: string, reason: string) {
  return { decision, rule, reason };
}

/**
 * Decides one call by its policy, in order: role, permissions, arguments, the whole-call
 * resolver, confirmation, then the rate limit.
 */
export async function decideCall(
  policy: ToolPolicy | undefined,
  request: AuthorizationRequest,
  context: DecisionContext,
): Promise<AuthorizationVerdict> {
  if (!policy) {
    if (context.unlisted === 'allow') {
      return verdict('allow', 'no-policy', 'no policy; allowed by default');
    }
    const reason = `the tool '${request.tool}' has no policy and is denied by default`;
    return verdict('deny', 'no-policy', reason);
  }
  const { principal } = request;
  if (!roleAllowed(policy, principal)) {
    return verdict('deny', 'role', `the role '${principal.role}' may not call '${request.tool}'`);
  }
  const missing = missingPermission(policy, principal);
  if (missing !== undefined) {
    const reason = `calling '${request.tool}' needs the permission '${missing}'`;
    return verdict('deny', 'permission', reason);
  }
  const denied = await checkInputs(policy, request, context.resolvers);
  if (denied) return denied;
  if (policy.confirm && !request.confirmed) {
    const reason = `'${request.tool}' runs only once the user approves it`;
    return verdict('confirm', 'confirmation', reason);
  }
  return takeRate(policy, request, context.rateLimits);
}

/** The argument rules, then the whole-call resolver. */
async function checkInputs(
  policy: ToolPolicy,
  request: AuthorizationRequest,
  runner: ResolverRunner,
) {
  const input = {
    tool: request.tool,
    arguments: request.arguments,
    principal: request.principal,
    ...(request.sessionId === undefined ? {} : { sessionId: request.sessionId }),
  };
  const denied = await checkArguments(policy.arguments ?? {}, input, runner);
  if (denied || policy.resolver === undefined) return denied;
  const answer = await runner.run(policy.resolver, input);
  return answer.allowed ? undefined : verdict('deny', `resolver:${policy.resolver}`, answer.reason);
}

// Taken last, so a call denied for any other reason never uses up the user's allowance.
async function takeRate(
  policy: ToolPolicy,
  request: AuthorizationRequest,
  rateLimits: RateLimitStore,
) {
  const ok = verdict('allow', request.confirmed ? 'confirmation' : 'policy', 'allowed by policy');
  if (!policy.rateLimit) return ok;
  const limit = policy.rateLimit.perMinute;
  const key = `tool:${request.tool}:${request.principal.userId}`;
  const taken = await rateLimits.take(key, { limit, windowMs: RATE_WINDOW_MS, cost: 1 });
  if (taken.allowed) return ok;
  const seconds = Math.ceil(taken.retryAfterMs / 1000);
  const reason = `'${request.tool}' may be called ${limit} times a minute; try again in ${seconds} s`;
  return verdict('deny', 'rate-limit', reason);
}
