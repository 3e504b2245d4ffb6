import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isAdminOr, type Principal } from '../../core/index.js';
import { RampartError } from '../../core/errors.js';
import { invalidRequestFromIssues } from '../../core/invalid-request.js';
import type { AuditEntry, AuditLog } from '../../store/index.js';

const querySchema = z.strictObject({
  user: z.string().min(1).max(256).optional(),
  tool: z.string().min(1).max(64).optional(),
  verdict: z
    .enum(['allowed', 'denied', 'confirmation-required', 'approved', 'rejected'])
    .optional(),
  session: z.string().min(1).max(128).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/** Who may read the audit log: admins, or a key with the `audit:read` permission. */
function mayRead(principal: Principal): boolean {
  return isAdminOr(principal, 'audit:read');
}

function entryView(entry: AuditEntry) {
  return {
    id: entry.id,
    seq: entry.seq,
    at: entry.at,
    user_id: entry.userId,
    key_id: entry.keyId,
    role: entry.role,
    session_id: entry.sessionId ?? null,
    request_id: entry.requestId ?? null,
    tool: entry.tool,
    call_id: entry.callId,
    arguments_digest: entry.argumentsDigest,
    verdict: entry.verdict,
    rule: entry.rule,
    reason: entry.reason,
  };
}

/**
 * `GET /v1/audit`: tool authorization decisions, newest first, with filters and paging by
 * `before` (the `seq` of the last entry seen).
 */
export function registerAudit(app: FastifyInstance, audit: AuditLog) {
  app.get('/v1/audit', async (request) => {
    if (!mayRead(request.principal)) {
      throw new RampartError(
        'RAMPART_FORBIDDEN',
        'Reading the audit log needs the admin role or the audit:read permission.',
      );
    }
    const parsed = querySchema.safeParse(request.query);
    if (!parsed.success) throw invalidRequestFromIssues(parsed.error.issues, 'query string');
    const { user, session, ...rest } = parsed.data;
    const entries = await audit.list({
      ...rest,
      ...(user === undefined ? {} : { userId: user }),
      ...(session === undefined ? {} : { sessionId: session }),
    });
    const last = entries.at(-1);
    return { object: 'list', data: entries.map(entryView), next_before: last ? last.seq : null };
  });
}
