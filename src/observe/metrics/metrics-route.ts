import type { FastifyInstance } from 'fastify';
import { authenticateRequest } from '../../auth/index.js';
import { RampartError } from '../../core/errors.js';
import { isAdminOr } from '../../core/principal.js';
import type { KeyStore } from '../../store/index.js';
import type { MetricSet } from './metric-set.js';

/**
 * `GET /metrics`: every series in Prometheus text format. With `auth: admin` a scrape needs an
 * API key as its bearer token, of the admin role or holding `metrics:read`, so a scraper need
 * not hold an admin key; by default the port itself is the boundary, as for `/healthz`.
 */
export function registerMetrics(
  app: FastifyInstance,
  options: { metrics: MetricSet; auth: 'none' | 'admin'; keys: KeyStore },
) {
  const { metrics, auth, keys } = options;
  app.get('/metrics', async (request, reply) => {
    if (auth === 'admin') {
      const principal = await authenticateRequest(request.headers, keys);
      if (principal instanceof RampartError) throw principal;
      if (!isAdminOr(principal, 'metrics:read')) {
        throw new RampartError(
          'RAMPART_FORBIDDEN',
          'Scraping metrics needs the admin role or the metrics:read permission.',
        );
      }
    }
    const body = await metrics.registry.metrics();
    return reply.header('content-type', metrics.registry.contentType).send(body);
  });
}
