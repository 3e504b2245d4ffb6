// The Rampart route variants the failover benchmark compares, and the fault the primary upstream
// is given. Every variant turns degraded mode's answer cache off: a stored answer would count as
// a success that neither a retry nor a fallback earned (the questions differ per request anyway).

const NO_DEGRADED_CACHE = '  degraded: { cache: { enabled: false } }';

/**
 * The variants, by name. `route.fallback` adds the spare upstream as the route's one fallback;
 * `resilience` are the lines of the `resilience` block. `baseline` is the latency reference: the
 * same route as `retry-breaker` (the defaults), to a primary that is never told to fail.
 */
export const VARIANTS = {
  baseline: { route: { fallback: false }, resilience: [] },
  none: {
    route: { fallback: false },
    resilience: ['  retry: { maxAttempts: 1 }', '  breaker: { enabled: false }'],
  },
  retry: { route: { fallback: false }, resilience: ['  breaker: { enabled: false }'] },
  'retry-breaker': { route: { fallback: false }, resilience: [] },
  fallback: { route: { fallback: true }, resilience: [] },
};

/** The variants measured under faults, in order, when `--variants` is not given. */
export const DEFAULT_VARIANTS = ['none', 'retry', 'fallback'];

/** What a variant is, in one line, for the table's legend and the results file. */
export const VARIANT_NOTES = {
  baseline: 'primary only, resilience defaults, primary healthy',
  none: 'primary only, retry.maxAttempts 1, breakers off',
  retry: 'primary only, default retries (2 attempts), breakers off',
  'retry-breaker': 'primary only, default retries, breakers at their defaults',
  fallback: 'primary then the spare, default retries, breakers at their defaults',
};

/**
 * The config of a variant: its route (with `continueOnFailure` on a fallback route when asked)
 * and its `resilience` lines.
 */
export function variantConfig(name, { continueOnFailure }) {
  const variant = VARIANTS[name];
  const route = {
    ...variant.route,
    continueOnFailure: variant.route.fallback && continueOnFailure,
  };
  return { route, resilience: ['resilience:', ...variant.resilience, NO_DEGRADED_CACHE] };
}

/**
 * The primary's fault rule at one failure rate: a 503, or a connection cut after `cutAfter`
 * events of the stream (Rampart always streams from its upstream).
 */
export function faultRule({ fault, rate, cutAfter }) {
  if (fault === 'cut') return { kind: 'cut-mid-stream', after: cutAfter, probability: rate };
  return { kind: 'status', status: 503, probability: rate };
}
