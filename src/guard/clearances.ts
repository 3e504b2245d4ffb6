import { hasPermission, type Principal } from '../core/index.js';

/** Which data classes a principal may see: by role in config, or by a `clearance:<class>` permission. */
export function maySee(
  principal: Principal,
  label: string,
  byRole: Readonly<Record<string, readonly string[]>>,
): boolean {
  const granted = Object.hasOwn(byRole, principal.role) ? byRole[principal.role] : undefined;
  if (granted?.includes('*') || granted?.includes(label)) return true;
  return hasPermission(principal, `clearance:${label}`);
}
