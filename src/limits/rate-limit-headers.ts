import type { LimitReading, Turn } from '../runtime/index.js';

function duration(ms: number): string {
  return `${Math.max(0, Math.ceil(ms / 1000))}s`;
}

/** The three headers of one limit's reading; none without a reading. */
export function limitHeaders(
  kind: 'requests' | 'tokens',
  reading: LimitReading | undefined,
): Record<string, string> {
  if (!reading) return {};
  return {
    [`x-ratelimit-limit-${kind}`]: String(reading.limit),
    [`x-ratelimit-remaining-${kind}`]: String(reading.remaining),
    [`x-ratelimit-reset-${kind}`]: duration(reading.resetAfterMs),
  };
}

/** The rate-limit headers OpenAI clients read, from the readings taken when the turn started. */
export function rateLimitHeaders(turn: Turn): Record<string, string> {
  return {
    ...limitHeaders('requests', turn.limits.requests),
    ...limitHeaders('tokens', turn.limits.tokens),
  };
}
