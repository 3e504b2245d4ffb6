import { hasPermission, type Principal } from '../../core/index.js';
import type { ArgumentRule, AuthorizationVerdict, ResolverInput } from './policy-types.js';
import type { ResolverRunner } from './resolvers.js';

type Denial = AuthorizationVerdict & { decision: 'deny' };

function deny(rule: string, reason: string): Denial {
  return { decision: 'deny', rule, reason };
}

/** What a dotted path finds in the arguments. */
export type ArgumentLookup =
  | { kind: 'found'; value: unknown }
  | { kind: 'absent' }
  /** Something on the way is not an object: the call is not shaped as the policy expects. */
  | { kind: 'misshapen' };

/** The value at a dotted path of the arguments. */
export function argumentAt(args: Record<string, unknown>, path: string): ArgumentLookup {
  let value: unknown = args;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { kind: 'misshapen' };
    }
    if (!Object.hasOwn(value, part)) return { kind: 'absent' };
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined ? { kind: 'absent' } : { kind: 'found', value };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Compiles a rule's pattern with the principal's user id in place of `{userId}`. */
function patternFor(source: string, principal: Principal): RegExp {
  const filled = source.replaceAll('{userId}', escapeRegExp(principal.userId));
  return new RegExp(filled, 'u');
}

function scalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function checkPermissions(prefix: string, value: unknown, principal: Principal): boolean {
  const values = Array.isArray(value) ? value : [value];
  // An empty list names nothing the principal holds: what it would mean is up to the tool.
  if (values.length === 0) return false;
  return values.every((item) => scalar(item) && hasPermission(principal, `${prefix}:${item}`));
}

/** The synchronous checks of one argument: the first that fails, or `undefined`. */
function checkValue(name: string, rule: ArgumentRule, value: unknown, principal: Principal) {
  const rule_ = `argument:${name}`;
  if (rule.equalsPrincipal && value !== principal[rule.equalsPrincipal]) {
    return deny(rule_, `'${name}' must be the caller's own ${rule.equalsPrincipal}`);
  }
  if (rule.inPermissions && !checkPermissions(rule.inPermissions, value, principal)) {
    return deny(rule_, `the caller may not use this '${name}'`);
  }
  if (rule.oneOf && !rule.oneOf.some((allowed) => allowed === value)) {
    return deny(rule_, `'${name}' is not one of the allowed values`);
  }
  if (rule.pattern !== undefined) {
    const text = scalar(value) ? String(value) : undefined;
    if (text === undefined || !patternFor(rule.pattern, principal).test(text)) {
      return deny(rule_, `'${name}' is not one the caller may use`);
    }
  }
  return undefined;
}

/**
 * Checks the arguments against their rules, in the order the policy lists them. The first
 * failure decides; a resolver runs only after the declared checks of its argument passed.
 */
export async function checkArguments(
  rules: Readonly<Record<string, ArgumentRule>>,
  input: ResolverInput,
  resolvers: ResolverRunner,
): Promise<Denial | undefined> {
  for (const [name, rule] of Object.entries(rules)) {
    const lookup = argumentAt(input.arguments, name);
    if (lookup.kind === 'misshapen') {
      return deny(`argument:${name}`, `'${name}' is not where the policy expects it`);
    }
    if (lookup.kind === 'absent') {
      if (rule.required) return deny(`argument:${name}`, `'${name}' is required`);
      continue;
    }
    const { value } = lookup;
    const failed = checkValue(name, rule, value, input.principal);
    if (failed) return failed;
    if (rule.resolver === undefined) continue;
    const answer = await resolvers.run(rule.resolver, { ...input, argument: name, value });
    if (!answer.allowed) return deny(`resolver:${rule.resolver}`, answer.reason);
  }
  return undefined;
}
