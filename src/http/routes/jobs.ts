import type { FastifyInstance } from 'fastify';
import { RampartError } from '../../core/errors.js';
import type { HttpContext } from '../context.js';
import { jobView } from '../jobs/job-view.js';

/** `GET /v1/jobs/{id}`: a deferred request's state, then its answer. Owners only. */
export function registerJobs(app: FastifyInstance, context: HttpContext) {
  app.get<{ Params: { id: string } }>('/v1/jobs/:id', async (request) => {
    const job = await context.jobs.get(request.principal.userId, request.params.id);
    if (!job) {
      throw new RampartError('RAMPART_NOT_FOUND', `No job '${request.params.id.slice(0, 64)}'.`, {
        param: 'id',
      });
    }
    return jobView(job);
  });
}
