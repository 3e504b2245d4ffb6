import type { JobRecord } from '../../store/index.js';

const seconds = (iso: string | undefined) =>
  iso === undefined ? null : Math.floor(Date.parse(iso) / 1000);

/** A job as `GET /v1/jobs/{id}` and its webhook show it: never the stored request. */
export function jobView(job: JobRecord) {
  return {
    id: job.id,
    object: 'rampart.job',
    kind: job.kind,
    status: job.status,
    created_at: seconds(job.createdAt),
    updated_at: seconds(job.updatedAt),
    completed_at: seconds(job.completedAt),
    attempts: job.attempts,
    result: job.status === 'succeeded' ? (job.result ?? null) : null,
    error: job.status === 'failed' ? (job.error ?? null) : null,
    webhook:
      job.webhookUrl === undefined
        ? null
        : { status: job.webhookStatus, attempts: job.webhookAttempts },
  };
}
