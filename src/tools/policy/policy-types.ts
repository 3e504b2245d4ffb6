import type { Principal } from '../../core/index.js';

/** A principal field an argument can be required to equal. */
export type PrincipalField = 'userId' | 'keyId' | 'role' | 'tier';

/**
 * A check on one argument, against the principal. Every check given must pass. A missing
 * argument passes unless `required` is set (the tool's schema decides what is required; this
 * only matters for optional arguments that a check must still see).
 */
export interface ArgumentRule {
  /** The argument must equal this field of the principal, e.g. `userId` for an owner argument. */
  equalsPrincipal?: PrincipalField;
  /**
   * The principal must hold the permission `<prefix>:<value>`, e.g. `table` with the value
   * `orders` needs `table:orders`. Arrays need a permission for every element.
   */
  inPermissions?: string;
  /** The argument must be one of these values. */
  oneOf?: readonly (string | number | boolean)[];
  /**
   * A regular expression the argument must match in full; `{userId}` stands for the principal's
   * user id (escaped), e.g. `^{userId}/` for record ids that start with their owner.
   */
  pattern?: string;
  /** Name of a resolver registered in code that decides (a record belongs to the user, say). */
  resolver?: string;
  /** Deny when the argument is absent. Default false. */
  required?: boolean;
}

/** Who may run one tool, with which arguments, how often, and whether the user must confirm. */
export interface ToolPolicy {
  /** Roles that may call the tool; absent or containing `*`: every role. */
  roles?: readonly string[];
  /** Permissions the principal must all hold. Default none. */
  permissions?: readonly string[];
  /** Checks by argument name; a dotted name reaches into nested objects (`filter.owner`). */
  arguments?: Readonly<Record<string, ArgumentRule>>;
  /** Calls per minute per user; absent: no limit of its own. */
  rateLimit?: { perMinute: number };
  /** The turn pauses until the user approves or rejects the call. Default false. */
  confirm?: boolean;
  /** Name of a resolver registered in code that decides on the whole call. */
  resolver?: string;
}

/** What a resolver is asked. `argument` and `value` are set for an argument's resolver. */
export interface ResolverInput {
  tool: string;
  arguments: Record<string, unknown>;
  principal: Principal;
  sessionId?: string;
  argument?: string;
  value?: unknown;
}

/** A resolver's answer: a boolean, or a decision with the reason the model is told. */
export type ResolverAnswer = boolean | { allowed: boolean; reason?: string };

/**
 * Code that decides what config cannot: that a record belongs to the user, say. It must not
 * throw for a no; a throw denies the call and is logged.
 */
export type ToolResolver = (input: ResolverInput) => Promise<ResolverAnswer> | ResolverAnswer;

/** The outcome of authorizing one call. `rule` names what decided, for the audit log. */
export interface AuthorizationVerdict {
  decision: 'allow' | 'deny' | 'confirm';
  rule: string;
  reason: string;
}
