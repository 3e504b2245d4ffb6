import type { Logger, Principal } from '../../core/index.js';
import {
  argumentsDigest,
  type AuditLog,
  type AuditVerdict,
  type RateLimitStore,
} from '../../store/index.js';
import { decideCall, verdict } from './policy-decision.js';
import type { AuthorizationVerdict, ToolPolicy, ToolResolver } from './policy-types.js';
import { resolverRunner } from './resolvers.js';

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

export function createToolAuthorizer(options: ToolAuthorizerOptions): ToolAuthorizer {
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

  const context = {
    unlisted: options.unlisted,
    resolvers: resolverRunner(options.resolvers ?? new Map(), options.logger),
    rateLimits: options.rateLimits,
  };
  const decide = (request: AuthorizationRequest) =>
    decideCall(options.policies.get(request.tool), request, context);

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
