import { RampartError, toRampartError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { OutageLog } from '../core/outage-log.js';
import type { DeferredRequest } from '../http/jobs/deferral.js';
import type { JobClaim, JobStore, KeyStore } from '../store/index.js';
import type { JobHandler, RunOutcome } from './deferred-kinds.js';

export interface JobRunnerOptions {
  jobs: JobStore;
  /** Checked before each run: a job queued with a key revoked since does not run. */
  keys: KeyStore;
  /** How each kind of job runs. */
  kinds: Readonly<Record<string, JobHandler>>;
  logger: Logger;
  pollMs: number;
  leaseMs: number;
  /** Jobs run at once on this instance. */
  concurrency: number;
  /** Wait before a job whose route is still down is tried again. */
  retryDelayMs: number;
  /** A job older than this that still cannot run fails for good. */
  maxAgeMs: number;
  /** Finished jobs are deleted this long after they finished. */
  retentionMs: number;
  /** Called after a job finished, so its webhook goes out without waiting for the next poll. */
  onFinished?: () => void;
}

export interface JobRunner {
  /** Stops polling; a job running now is cancelled and put back in line to run again. */
  stop(): Promise<void>;
}

/**
 * Runs deferred jobs on this instance, up to `concurrency` at once: claims the job due longest,
 * runs it as the client would have (not streamed), and stores the answer. A job whose route is
 * still down goes back in line; one that fails for a lasting reason, or grows too old, fails
 * for good. The claim lease means a job held by a crashed instance runs again elsewhere;
 * otherwise it runs once.
 */
export function startJobRunner(options: JobRunnerOptions): JobRunner {
  const { jobs, logger } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  const current = new Set<AbortController>();
  const claims = new OutageLog({ logger, what: 'deferred job claims' });

  async function runOne(claim: JobClaim): Promise<void> {
    const { job, token } = claim;
    const log = logger.child({ jobId: job.id, attempt: job.attempts });
    const controller = new AbortController();
    current.add(controller);
    const stopRenewing = keepClaim(claim, controller, log);
    const outcome = await run(claim, controller.signal)
      .catch((error: unknown): RunOutcome => ({ kind: 'failed', error: toRampartError(error) }))
      .finally(() => {
        stopRenewing();
        current.delete(controller);
      });
    const age = Date.now() - Date.parse(job.createdAt);
    if (outcome.kind === 'done') {
      // A run that outlived its lease may have lost the job to another runner: say which.
      if (await jobs.complete(job.id, token, outcome.result)) {
        log.info('deferred job answered');
        options.onFinished?.();
      } else
        log.warn({ leaseMs: options.leaseMs }, 'deferred job answered after its claim was lost');
    } else if (outcome.kind === 'again' && (age < options.maxAgeMs || stopped)) {
      await jobs.requeue(job.id, token, stopped ? 0 : options.retryDelayMs);
    } else {
      const error =
        outcome.kind === 'failed'
          ? outcome.error
          : new RampartError('RAMPART_PROVIDERS_UNAVAILABLE', 'No provider recovered in time.');
      if (await jobs.fail(job.id, token, { code: error.code, message: error.message })) {
        log.warn({ code: error.code }, 'deferred job failed');
        options.onFinished?.();
      }
    }
  }

  /**
   * Renews the claim's lease while the job runs, so a long run is not taken over; a claim lost
   * anyway (a stall longer than the lease) stops the run, which another runner now owns.
   */
  function keepClaim(claim: JobClaim, controller: AbortController, log: Logger): () => void {
    const renewal = setInterval(() => {
      jobs
        .renew(claim.job.id, claim.token, options.leaseMs)
        .then((held) => {
          if (held) return;
          const message = 'another runner took this job over';
          controller.abort(new RampartError('RAMPART_SHUTTING_DOWN', message));
        })
        .catch((error: unknown) => log.warn({ err: error }, 'renewing a deferred job failed'));
    }, options.leaseMs / 3);
    renewal.unref();
    return () => clearInterval(renewal);
  }

  async function run(claim: JobClaim, signal: AbortSignal): Promise<RunOutcome> {
    const handler = Object.hasOwn(options.kinds, claim.job.kind)
      ? options.kinds[claim.job.kind]
      : undefined;
    if (!handler) {
      const message = `Unknown job kind '${claim.job.kind.slice(0, 64)}'.`;
      return { kind: 'failed', error: new RampartError('RAMPART_INTERNAL', message) };
    }
    const { principal } = claim.job.request as DeferredRequest;
    if (!(await keyStillValid(options.keys, principal))) {
      const message = 'The API key that queued this request was revoked before it ran.';
      return { kind: 'failed', error: new RampartError('RAMPART_UNAUTHORIZED', message) };
    }
    return handler(claim.job, signal);
  }

  const workers = new Set<Promise<void>>();

  /** The job due longest, if any; none while the store is down, which the next poll retries. */
  async function claimNext(): Promise<JobClaim | undefined> {
    try {
      const claim = await jobs.claim(options.leaseMs);
      claims.succeeded();
      return claim;
    } catch (error) {
      claims.failed(error);
      return undefined;
    }
  }

  /**
   * Claims and runs jobs one after another until none is due. A worker that finds a job starts
   * another (up to `concurrency`), so an empty queue costs one claim per poll, not one per slot.
   */
  function startWorker(): void {
    const worker = (async () => {
      try {
        for (;;) {
          if (stopped) return;
          const claim = await claimNext();
          if (!claim) return;
          if (workers.size < options.concurrency) startWorker();
          await runOne(claim);
        }
      } catch (error) {
        logger.error({ err: error }, 'deferred job runner failed; polling again');
      }
    })();
    workers.add(worker);
    void worker.finally(() => workers.delete(worker));
  }

  let purgedAt = 0;
  async function purge(): Promise<void> {
    if (Date.now() - purgedAt < PURGE_INTERVAL_MS) return;
    purgedAt = Date.now();
    const purged = await jobs.purgeFinished(options.retentionMs).catch((error: unknown) => {
      logger.warn({ err: error }, 'purging finished deferred jobs failed');
      return 0;
    });
    if (purged > 0) logger.info({ purged }, 'purged finished deferred jobs');
  }

  async function poll(): Promise<void> {
    timer = undefined;
    await purge();
    startWorker();
    while (workers.size > 0) await Promise.all(workers);
  }

  function schedule(delayMs: number): void {
    if (stopped || timer !== undefined || running !== undefined) return;
    timer = setTimeout(() => {
      running = poll().finally(() => {
        running = undefined;
        if (timer === undefined) schedule(options.pollMs);
      });
    }, delayMs);
    timer.unref();
  }

  schedule(options.pollMs);
  return {
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      const reason = new RampartError('RAMPART_SHUTTING_DOWN', 'the server is shutting down');
      for (const controller of current) controller.abort(reason);
      await running;
    },
  };
}

/** Finished jobs past retention are looked for this often, on each instance. */
const PURGE_INTERVAL_MS = 10 * 60_000;

async function keyStillValid(keys: KeyStore, principal: DeferredRequest['principal']) {
  const owned = await keys.list(principal.userId);
  const key = owned.find((record) => record.id === principal.keyId);
  return key !== undefined && key.revokedAt === undefined;
}
