import type { LimitReading, Turn } from '../runtime/index.js';

function duration(ms: number): string {
  return `${Math.max(0, Math.ceil(ms / 1000))}s`;
}

function headersOf(kind: 'requests' | 'tokens', reading: LimitReading | undefined) {
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
    ...headersOf('requests', turn.limits.requests),
    ...headersOf('tokens', turn.limits.tokens),
  };
}
