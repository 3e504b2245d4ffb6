import type { ModelRequest, RampartError, TokenCounts, Usage } from '../../core/index.js';
import type { Provider } from '../../providers/index.js';
import type { BreakerGuard } from './breaker-guard.js';

/** One provider model a route can call. */
export interface RouteTarget {
  provider: Provider;
  /** The provider's own model id. */
  model: string;
  /** `provider/model`: names the target in logs, metrics and its circuit breaker. */
  id: string;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
}

/** How a route survives failures: see `resilience` and `models` in the configuration. */
export interface FallbackPolicy {
  retry: RetryPolicy;
  deadlineMs: number;
  continueOnFailure: boolean;
  fallbackOnStatus: ReadonlySet<number>;
}

/** One attempt against one target, as recorded for logs, metrics and tests. */
export interface AttemptFact {
  target: string;
  provider: string;
  model: string;
  /** 1 for the first attempt on this target. */
  attempt: number;
  /** `skipped`: no upstream call was made, for `skipReason`. */
  outcome: 'ok' | 'failed' | 'skipped';
  /** Why a target was skipped: its breaker was open, or its provider was at its cap. */
  skipReason?: 'circuit-open' | 'at-capacity' | 'unsupported';
  /** True when this attempt continued an answer another attempt had started. */
  continuation: boolean;
  durationMs: number;
  timeToFirstEventMs: number | undefined;
  usage: Usage | undefined;
  error: RampartError | undefined;
}

export interface FallbackCall {
  targets: readonly RouteTarget[];
  /** The request without a model id: each target sets its own. */
  request: Omit<ModelRequest, 'model'>;
  policy: FallbackPolicy;
  breakers: BreakerGuard | undefined;
  signal: AbortSignal;
  /** Admission to shared caps around each attempt; throwing refuses the attempt for good. */
  admit: () => Promise<() => Promise<void>>;
  /**
   * Room on a target's provider, when it has a cap: without `wait`, undefined when it is full,
   * and the target is skipped; the last target waits (and may throw a 429 refusal).
   */
  capacity?: (target: RouteTarget, wait: boolean) => Promise<(() => Promise<void>) | undefined>;
  onAttempt: (fact: AttemptFact) => void;
  /** Called when a target's first content arrives: from then on it is answering. */
  onServing?: (target: RouteTarget) => void;
  /** The name clients asked for, for messages. */
  routeName: string;
  /**
   * The caller shows nothing until the call ends (a non-streaming client). Each attempt's
   * content is then held until the attempt finishes, so one that fails midway is dropped and
   * retried from the start, like a failure before any content.
   */
  buffered?: boolean;
  /**
   * The caller never shows the model's tool calls (server-side tools): they are held until the
   * attempt finishes, so an attempt that fails while writing them is retried invisibly.
   */
  holdToolCalls?: boolean;
  /**
   * Counts the tokens of an attempt its provider reported no usage for, and learns from those
   * that did report. Absent: characters / 4.
   */
  tokens?: TokenCounts;
  now?: () => number;
  random?: () => number;
}

/** How the call ended, beyond its events. */
export interface FallbackOutcome {
  /** The target whose answer ended the call (for a continued answer, the one that finished it). */
  servedBy: RouteTarget | undefined;
  /**
   * True when every target failed in a way another try could have fixed (or was skipped by its
   * breaker) before anything was produced: the route is down, and degraded mode may answer.
   */
  exhausted: boolean;
}
