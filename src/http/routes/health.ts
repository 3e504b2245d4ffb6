import type { FastifyInstance } from 'fastify';
import type { HttpContext } from '../context.js';

/** Targets whose breaker this instance last saw open or half-open. */
function openBreakers(context: HttpContext): Record<string, string> {
  const open: Record<string, string> = {};
  for (const [target, state] of context.breakers?.states() ?? []) {
    if (state !== 'closed') open[target] = state;
  }
  return open;
}

/**
 * `GET /healthz` says the process is alive; `GET /readyz` says it should get traffic, and turns
 * false as soon as shutdown begins so a load balancer drains this instance first.
 */
export function registerHealth(app: FastifyInstance, context: HttpContext) {
  app.get('/healthz', () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    if (context.lifecycle.draining) return reply.code(503).send({ status: 'draining' });
    // Degraded shared state does not take the instance out: its failure policy handles requests.
    // Open breakers do not either: other targets, or degraded mode, still answer.
    return { status: 'ready', state: context.health.snapshot(), breakers: openBreakers(context) };
  });
}
