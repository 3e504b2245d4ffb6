import { invalid, requireVerdict } from './audit-rules.js';
import { isStorableText } from './text-rules.js';
import type { AuditQuery, AuditVerdict } from './types.js';

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 1000;

// A time needs an explicit offset: without one, Date.parse reads it in the server's time zone.
const ISO_TIME = /^\d{4}-\d\d-\d\d(?:T\d\d:\d\d(?::\d\d(?:\.(\d+))?)?(?:Z|[+-]\d\d:\d\d))?$/;

/** A checked query, ready for any backend: `since` in milliseconds, `limit` within its bounds. */
export interface AuditFilter {
  userId?: string;
  tool?: string;
  verdict?: AuditVerdict;
  sessionId?: string;
  since?: number;
  before?: number;
  limit: number;
}

/**
 * Refuses a malformed query with a clear 400 and returns the filter to run, or `undefined` when
 * no entry can match. Text no backend could have stored (a lone surrogate) matches nothing: the
 * drivers would turn it into U+FFFD, which could match another user's entries.
 */
export function checkAuditQuery(query: AuditQuery = {}): AuditFilter | undefined {
  if (typeof query !== 'object' || query === null) {
    throw invalid('An audit query must be an object.', 'query');
  }
  const filter: AuditFilter = { limit: checkLimit(query.limit) };
  for (const field of ['userId', 'tool', 'sessionId'] as const) {
    const value = query[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') throw invalid(`${field} must be a string.`, field);
    if (!isStorableText(value)) return undefined;
    filter[field] = value;
  }
  if (query.verdict !== undefined) {
    requireVerdict(query.verdict, 'verdict');
    filter.verdict = query.verdict;
  }
  if (query.since !== undefined) filter.since = parseSince(query.since);
  if (query.before !== undefined) filter.before = checkBefore(query.before);
  return filter;
}

function checkLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_AUDIT_LIMIT;
  if (typeof limit === 'number' && Number.isSafeInteger(limit) && limit >= 1) {
    return Math.min(limit, MAX_AUDIT_LIMIT);
  }
  throw invalid('limit must be a positive integer.', 'limit');
}

function checkBefore(before: unknown): number {
  if (typeof before === 'number' && Number.isSafeInteger(before) && before >= 1) return before;
  throw invalid('before must be a positive integer (a seq).', 'before');
}

/**
 * The bound in milliseconds. Entries are timed to the millisecond, so a bound with finer digits
 * is rounded up: an entry is listed only if it is not before the bound as written.
 */
function parseSince(since: unknown): number {
  const match = typeof since === 'string' ? ISO_TIME.exec(since) : null;
  const parsed = match ? Date.parse(since as string) : Number.NaN;
  if (Number.isNaN(parsed)) {
    throw invalid('since must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z.', 'since');
  }
  const finer = match?.[1]?.slice(3) ?? '';
  return /[1-9]/.test(finer) ? parsed + 1 : parsed;
}
