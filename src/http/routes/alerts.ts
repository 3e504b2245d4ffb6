import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isAdminOr, type Principal } from '../../core/index.js';
import { RampartError } from '../../core/errors.js';
import { invalidRequestFromIssues } from '../../core/invalid-request.js';
import { alertView } from '../../observe/index.js';
import { ALERT_LIST_MAX, type AlertStore } from '../../store/index.js';

const querySchema = z.strictObject({
  state: z.enum(['open', 'resolved', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(ALERT_LIST_MAX).default(100),
});

/**
 * Alerts describe the whole deployment: admins read them, and keys granted `alerts:read` (an
 * on-call tool, a dashboard) without being admins.
 */
function mayRead(principal: Principal): boolean {
  return isAdminOr(principal, 'alerts:read');
}

/** `GET /v1/alerts?state=open|resolved|all&limit=N`: alerts, newest opened first. */
export function registerAlerts(app: FastifyInstance, alerts: AlertStore) {
  app.get('/v1/alerts', async (request) => {
    if (!mayRead(request.principal)) {
      throw new RampartError(
        'RAMPART_FORBIDDEN',
        'Reading alerts needs the admin role or the alerts:read permission.',
      );
    }
    const parsed = querySchema.safeParse(request.query);
    if (!parsed.success) throw invalidRequestFromIssues(parsed.error.issues, 'query string');
    const found = await alerts.list(parsed.data);
    return { object: 'list', data: found.map(alertView) };
  });
}
