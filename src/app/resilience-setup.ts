import type { RampartConfig } from '../config/index.js';
import type { Logger } from '../core/logger.js';
import { jobView } from '../http/jobs/job-view.js';
import {
  BreakerGuard,
  DegradedAnswers,
  startWebhookDelivery,
  type BreakerChange,
} from '../resilience/index.js';
import type { Runtime } from '../runtime/index.js';
import type { SessionService } from '../sessions/index.js';
import type { ToolAuthorizer } from '../tools/index.js';
import type { AnswerStore, BreakerStore, JobStore, KeyStore } from '../store/index.js';
import { jobHandlers } from './deferred-kinds.js';
import { startJobRunner } from './job-runner.js';

/** Circuit breakers and degraded-mode answers, as configured (each may be turned off). */
export function resilienceParts(
  config: RampartConfig,
  stores: { breakers: BreakerStore; answers: AnswerStore },
  logger: Logger,
  onBreakerChange?: (change: BreakerChange) => void,
) {
  const { breaker, degraded } = config.resilience;
  const { enabled: breakersOn, ...policy } = breaker;
  const { enabled: cacheOn, ttlMs, maxAnswerChars, scope } = degraded.cache;
  return {
    breakers: breakersOn
      ? new BreakerGuard(stores.breakers, policy, logger, onBreakerChange)
      : undefined,
    answers: cacheOn
      ? new DegradedAnswers({ store: stores.answers, ttlMs, maxAnswerChars, scope, logger })
      : undefined,
  };
}

/** Delivery backoff of webhooks: a second, then doubling up to five minutes. */
const WEBHOOK_BASE_DELAY_MS = 1_000;
const WEBHOOK_MAX_DELAY_MS = 300_000;

/**
 * The deferred-job runner and the webhook delivery loop of this instance. Both poll the job
 * store, so any instance finishes what any other accepted.
 */
export function startDeferredWork(
  config: RampartConfig,
  stores: { jobs: JobStore; keys: KeyStore },
  parts: { runtime: Runtime; sessions: SessionService; authorizer?: ToolAuthorizer },
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
) {
  const deferred = config.resilience.degraded.deferred;
  if (deferred.mode === 'off') return { stop: async () => undefined };
  const { webhooks } = deferred;
  const secret = webhooks.secretEnv === undefined ? undefined : env[webhooks.secretEnv];
  const { jobs, keys } = stores;
  const delivery = startWebhookDelivery({
    jobs,
    logger: logger.child({ component: 'webhooks' }),
    pollMs: deferred.pollMs,
    maxAttempts: webhooks.maxAttempts,
    baseDelayMs: WEBHOOK_BASE_DELAY_MS,
    maxDelayMs: WEBHOOK_MAX_DELAY_MS,
    timeoutMs: webhooks.timeoutMs,
    ...(secret === undefined || secret === '' ? {} : { secret }),
    payload: jobView,
  });
  const runner = startJobRunner({
    jobs,
    keys,
    kinds: jobHandlers({ ...parts, config }),
    logger: logger.child({ component: 'deferred-jobs' }),
    pollMs: deferred.pollMs,
    leaseMs: deferred.leaseMs,
    concurrency: deferred.concurrency,
    retryDelayMs: deferred.retryDelayMs,
    maxAgeMs: deferred.maxAgeMs,
    retentionMs: deferred.retentionMs,
    onFinished: () => delivery.kick(),
  });
  return {
    async stop() {
      await runner.stop();
      await delivery.stop();
    },
  };
}
