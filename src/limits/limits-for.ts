import type { LimitsConfig } from '../config/index.js';
import type { Principal } from '../core/principal.js';

/** The per-minute limits that apply to one principal. */
export interface PrincipalLimits {
  requestsPerMinute: number | undefined;
  tokensPerMinute: number | undefined;
}

/** A key's own limits win, then its tier's, then the defaults; each value on its own. */
export function limitsFor(config: LimitsConfig, principal: Principal): PrincipalLimits {
  const byKey = Object.hasOwn(config.keys, principal.keyId)
    ? config.keys[principal.keyId]
    : undefined;
  const byTier = Object.hasOwn(config.tiers, principal.tier)
    ? config.tiers[principal.tier]
    : undefined;
  return {
    requestsPerMinute:
      byKey?.requestsPerMinute ?? byTier?.requestsPerMinute ?? config.default.requestsPerMinute,
    tokensPerMinute:
      byKey?.tokensPerMinute ?? byTier?.tokensPerMinute ?? config.default.tokensPerMinute,
  };
}
