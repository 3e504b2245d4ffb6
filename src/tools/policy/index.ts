/** Tool authorization: a policy per tool, checked in code before any handler runs, and audited. */
export type {
  ArgumentRule,
  AuthorizationVerdict,
  PrincipalField,
  ResolverAnswer,
  ResolverInput,
  ToolPolicy,
  ToolResolver,
} from './policy-types.js';
export {
  createToolAuthorizer,
  type AuditSink,
  type AuthorizationCounts,
  type AuthorizationRequest,
  type ToolAuthorizer,
  type ToolAuthorizerOptions,
} from './tool-authorizer.js';
export { auditArguments } from './audit-arguments.js';
