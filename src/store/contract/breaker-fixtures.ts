import { expect } from 'vitest';
import type { BreakerAdmission, BreakerPolicy } from '../types.js';

/** Opens at half of at least 4 outcomes in 10 s; refuses for 5 s; a probe holds its turn 2 s. */
export const POLICY: BreakerPolicy = {
  windowMs: 10_000,
  minRequests: 4,
  failureRate: 0.5,
  openMs: 5_000,
  probeLeaseMs: 2_000,
};

export const MODEL = 'openai:gpt-4o';

export const CLOSED: BreakerAdmission = { allowed: true, state: 'closed', probe: false };
export const PROBE = {
  allowed: true,
  state: 'half-open',
  probe: true,
  probeToken: expect.any(Number) as number,
} satisfies BreakerAdmission;

export function refused(state: 'open' | 'half-open', retryAfterMs: number): BreakerAdmission {
  return { allowed: false, state, retryAfterMs };
}
