import { z } from 'zod';
import { nonNegativeInt, positiveInt } from './numbers.js';

/** How routes survive failing providers: retries, the deadline, breakers and degraded mode. */
export const resilienceSchema = z
  .strictObject({
    retry: z
      .strictObject({
        /** Attempts per target, the first included; 1 means no retry. Default 2. */
        maxAttempts: positiveInt.max(10).default(2),
        /** First backoff delay, doubled per attempt, with full jitter. Default 200 ms. */
        baseDelayMs: positiveInt.default(200),
        /** Longest backoff delay. Default 2 s. */
        maxDelayMs: positiveInt.default(2_000),
        /** A `Retry-After` longer than this moves on to the next target instead. Default 10 s. */
        maxRetryAfterMs: nonNegativeInt.default(10_000),
      })
      .prefault({}),
    /**
     * No new attempt (retry or fallback) starts this long after a model call began; an attempt
     * already running keeps only its phase timeouts, so a healthy long stream is never cut.
     * Default 120 s: long enough to move on after a first-byte timeout at its default.
     */
    deadlineMs: positiveInt.default(120_000),
    breaker: z
      .strictObject({
        /** Default true. */
        enabled: z.boolean().default(true),
        /** Outcomes are counted over this sliding window. Default 60 s. */
        windowMs: positiveInt.min(1_000).default(60_000),
        /** The breaker never opens on fewer outcomes in the window. Default 10. */
        minRequests: positiveInt.default(10),
        /** Failure share at or above which the breaker opens. Default 0.5. */
        failureRate: z.number().gt(0).max(1).default(0.5),
        /** How long an open breaker skips its target before one probe. Default 30 s. */
        openMs: positiveInt.default(30_000),
        /**
         * A probe that never reports frees its turn after this long. Default 120 s: above the
         * default first-byte timeout, so a probe to a hung target fails before a second probe.
         */
        probeLeaseMs: positiveInt.default(120_000),
      })
      .prefault({}),
    degraded: z
      .strictObject({
        cache: z
          .strictObject({
            /** Answer simple questions from stored answers while a route is down. Default true. */
            enabled: z.boolean().default(true),
            /** How long a stored answer may be served. Default 24 h. */
            ttlMs: positiveInt.default(86_400_000),
            /** Most answers kept in process (in Redis with the redis backend). Default 10 000. */
            maxEntries: positiveInt.default(10_000),
            /** Largest answer stored, in characters. Default 32 768. */
            maxAnswerChars: positiveInt.default(32_768),
            /**
             * `user`: an answer is served only to the user it was given to. `global`: to anyone
             * asking exactly the same question with the same context. Default `user`.
             */
            scope: z.enum(['user', 'global']).default('user'),
          })
          .prefault({}),
        deferred: z
          .strictObject({
            /**
             * `when-asked` (default): a request sent with `Prefer: respond-async` is queued
             * and gets 202 while every target is down; `off`: never.
             */
            mode: z.enum(['when-asked', 'off']).default('when-asked'),
            /** How often each instance looks for due jobs. Default 2 s. */
            pollMs: positiveInt.default(2_000),
            /** Jobs each instance runs at once. Default 4. */
            concurrency: positiveInt.max(64).default(4),
            /**
             * A running job's claim, renewed while it runs: a job whose runner died runs again
             * after this long. Default 5 min.
             */
            leaseMs: positiveInt.min(1_000).default(300_000),
            /** Wait before a job is tried again while its route is still down. Default 10 s. */
            retryDelayMs: positiveInt.default(10_000),
            /** A job not answered within this long fails for good. Default 24 h. */
            maxAgeMs: positiveInt.default(86_400_000),
            /** Finished jobs (request and answer) are deleted this long after. Default 7 days. */
            retentionMs: positiveInt.default(604_800_000),
            webhooks: z
              .strictObject({
                /**
                 * Origins (`https://hooks.example.com`) a `Rampart-Webhook` URL may point at.
                 * Default none: webhooks are refused.
                 */
                allowedOrigins: z
                  .array(
                    z
                      .url({ protocol: /^https?$/ })
                      .refine((value) => new URL(value).origin === value.replace(/\/$/, ''), {
                        message: 'must be an origin only (scheme, host, port), with no path',
                      }),
                  )
                  .default([]),
                /** Environment variable holding the HMAC secret that signs webhook bodies. */
                secretEnv: z.string().min(1).optional(),
                /** Timeout of one delivery. Default 10 s. */
                timeoutMs: positiveInt.default(10_000),
                /** Deliveries tried before giving up. Default 8. */
                maxAttempts: positiveInt.max(100).default(8),
              })
              .prefault({}),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .prefault({});

export type ResilienceConfig = z.output<typeof resilienceSchema>;
