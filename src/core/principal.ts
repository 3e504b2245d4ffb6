/**
 * Who is calling: the identity an API key is bound to. Everything a user owns (sessions, usage,
 * memory) is keyed by `userId`; nothing is ever shared through instance or module state.
 */
export interface Principal {
  userId: string;
  /** e.g. `user` or `admin`. */
  role: string;
  /** The pricing or service tier, e.g. `free`, `standard`, `premium`. */
  tier: string;
  /** The team the key belongs to, for team budgets and usage; absent: no team. */
  team?: string;
  /** Named permissions that tool policies and admin routes check. */
  permissions: readonly string[];
  /** The id (not the secret) of the key that authenticated the request. */
  keyId: string;
}

export function hasPermission(principal: Principal, permission: string): boolean {
  return principal.permissions.includes(permission) || principal.permissions.includes('*');
}

/**
 * Reads of the whole deployment (stats, alerts, audit, everyone's usage, metrics): the admin role,
 * or a key granted just that read, so a tool need not hold an admin key.
 */
export function isAdminOr(principal: Principal, permission: string): boolean {
  return principal.role === 'admin' || hasPermission(principal, permission);
}
