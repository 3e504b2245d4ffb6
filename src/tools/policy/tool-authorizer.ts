import type { Logger, Principal } from '../../core/index.js';
import {
  argumentsDigest,
  type AuditLog,
  type AuditVerdict,
  type RateLimitStore,
} from '../../store/index.js';
import { checkArguments } from './argument-rules.js';
import type { AuthorizationVerdict, ToolPolicy, ToolResolver } from './policy-types.js';
import { resolverRunner, type ResolverRunner } from './resolvers.js';

/** One call to decide on, with the arguments already parsed and validated. */
export interface AuthorizationRequest {
  tool: string;
  callId: string;
  arguments: Record<string, unknown>;
  principal: Principal;
  sessionId?: string;
  requestId?: string;
  /** The user approved this very call; only the confirmation step is skipped. */
  confirmed?: boolean;
}

/** Where decisions are written: the store's audit log. */
export type AuditSink = Pick<AuditLog, 'append'>;

export interface ToolAuthorizerOptions {
  /** Policies by tool name. */
  policies: ReadonlyMap<string, ToolPolicy>;
  /** What happens to a tool with no policy. */
  unlisted: 'allow' | 'deny';
  resolvers?: ReadonlyMap<string, ToolResolver>;
  rateLimits: RateLimitStore;
  audit: AuditSink;
  /** Write allowed calls to the audit log too, not only denials and confirmations. */
  auditAllowed: boolean;
  logger: Logger;
}

/** Decisions by outcome, for metrics. */
export interface AuthorizationCounts {
  allowed: number;
  denied: number;
  confirmationRequired: number;
  declined: number;
}

/** Decides every server-side tool call in code, whatever the model asked, and audits it. */
export interface ToolAuthorizer {
  authorize(request: AuthorizationRequest): Promise<AuthorizationVerdict>;
  /** Records that the user rejected a call that was waiting for confirmation. */
  recordDeclined(request: AuthorizationRequest, reason: string): Promise<void>;
  counts(): AuthorizationCounts;
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

function verdict(decision: AuthorizationVerdict['decision'], rule: string, reason: string) {
  return { decision, rule, reason };
}

export function createToolAuthorizer(options: ToolAuthorizerOptions): ToolAuthorizer {
  const resolvers = resolverRunner(options.resolvers ?? new Map(), options.logger);
  const counts: AuthorizationCounts = {
    allowed: 0,
    denied: 0,
    confirmationRequired: 0,
    declined: 0,
  };

  async function record(
    request: AuthorizationRequest,
    auditVerdict: AuditVerdict,
    v: AuthorizationVerdict,
  ) {
    const { principal } = request;
    await options.audit.append({
      userId: principal.userId,
      keyId: principal.keyId,
      role: principal.role,
      ...(request.sessionId === undefined ? {} : { sessionId: request.sessionId }),
      ...(request.requestId === undefined ? {} : { requestId: request.requestId }),
      tool: request.tool,
      callId: request.callId,
      argumentsDigest: argumentsDigest(request.arguments),
      verdict: auditVerdict,
      rule: v.rule,
      reason: v.reason,
    });
  }

  async function decide(request: AuthorizationRequest): Promise<AuthorizationVerdict> {
    const policy = options.policies.get(request.tool);
    if (!policy) {
      if (options.unlisted === 'allow')
        return verdict('allow', 'no-policy', 'no policy; allowed by default');
      return verdict(
        'deny',
        'no-policy',
        `the tool '${request.tool}' has no policy and is denied by default`,
      );
    }
    return decideByPolicy(policy, request, resolvers);
  }

  async function decideByPolicy(
    policy: ToolPolicy,
    request: AuthorizationRequest,
    runner: ResolverRunner,
  ): Promise<AuthorizationVerdict> {
    const { principal } = request;
    if (!roleAllowed(policy, principal)) {
      return verdict('deny', 'role', `the role '${principal.role}' may not call '${request.tool}'`);
    }
    const missing = missingPermission(policy, principal);
    if (missing !== undefined) {
      return verdict(
        'deny',
        'permission',
        `calling '${request.tool}' needs the permission '${missing}'`,
      );
    }
    const input = {
      tool: request.tool,
      arguments: request.arguments,
      principal,
      ...(request.sessionId === undefined ? {} : { sessionId: request.sessionId }),
    };
    const denied = await checkArguments(policy.arguments ?? {}, input, runner);
    if (denied) return denied;
    if (policy.resolver !== undefined) {
      const answer = await runner.run(policy.resolver, input);
      if (!answer.allowed) return verdict('deny', `resolver:${policy.resolver}`, answer.reason);
    }
    if (policy.confirm && !request.confirmed) {
      return verdict(
        'confirm',
        'confirmation',
        `'${request.tool}' runs only once the user approves it`,
      );
    }
    return takeRate(policy, request);
  }

  // Taken last, so a call denied for any other reason never uses up the user's allowance.
  async function takeRate(policy: ToolPolicy, request: AuthorizationRequest) {
    const ok = verdict('allow', request.confirmed ? 'confirmation' : 'policy', 'allowed by policy');
    if (!policy.rateLimit) return ok;
    const limit = policy.rateLimit.perMinute;
    const key = `tool:${request.tool}:${request.principal.userId}`;
    const taken = await options.rateLimits.take(key, { limit, windowMs: RATE_WINDOW_MS, cost: 1 });
    if (taken.allowed) return ok;
    const seconds = Math.ceil(taken.retryAfterMs / 1000);
    return verdict(
      'deny',
      'rate-limit',
      `'${request.tool}' may be called ${limit} times a minute; try again in ${seconds} s`,
    );
  }

  const auditVerdictOf = (v: AuthorizationVerdict, request: AuthorizationRequest): AuditVerdict => {
    if (v.decision === 'deny') return 'denied';
    if (v.decision === 'confirm') return 'confirmation-required';
    return request.confirmed ? 'approved' : 'allowed';
  };

  function count(v: AuthorizationVerdict): void {
    if (v.decision === 'allow') counts.allowed++;
    else if (v.decision === 'deny') counts.denied++;
    else counts.confirmationRequired++;
  }

  return {
    async authorize(request) {
      let decided: AuthorizationVerdict;
      try {
        decided = await decide(request);
      } catch (error) {
        options.logger.error({ err: error, tool: request.tool }, 'tool authorization failed');
        decided = verdict('deny', 'error', 'the authorization check failed');
      }
      count(decided);
      if (decided.decision === 'allow' && !options.auditAllowed && !request.confirmed)
        return decided;
      try {
        await record(request, auditVerdictOf(decided, request), decided);
      } catch (error) {
        // An action that cannot be audited does not run: the log must hold every call that did.
        options.logger.error({ err: error, tool: request.tool }, 'audit log write failed');
        if (decided.decision === 'allow') {
          counts.allowed--;
          counts.denied++;
          return verdict(
            'deny',
            'audit-unavailable',
            'the call could not be audited, so it was not run',
          );
        }
      }
      return decided;
    },
    async recordDeclined(request, reason) {
      counts.declined++;
      try {
        await record(request, 'rejected', verdict('deny', 'user', reason));
      } catch (error) {
        options.logger.error({ err: error, tool: request.tool }, 'audit log write failed');
      }
    },
    counts: () => ({ ...counts }),
  };
}
