/** The append-only audit log of tool authorization decisions: its records and interface. */

/** How one authorization decision on a tool call came out. */
export type AuditVerdict = 'allowed' | 'denied' | 'confirmation-required' | 'approved' | 'rejected';

/** One authorization decision, as the caller records it. */
export interface AuditEntryInput {
  userId: string;
  keyId: string;
  role: string;
  sessionId?: string;
  requestId?: string;
  /** The tool's name, at most 64 characters. The other identity fields take up to 1024. */
  tool: string;
  callId: string;
  /**
   * sha256 hex of the canonical JSON of the arguments (`argumentsDigest`); the arguments
   * themselves are never stored.
   */
  argumentsDigest: string;
  verdict: AuditVerdict;
  /**
   * Stable rule id that decided, e.g. 'role', 'argument', 'rate-limit', 'no-policy', 'resolver',
   * 'confirmation'; at most 128 characters.
   */
  rule: string;
  /** Why, for a human; longer than 1000 characters is cut and ends with `…`. */
  reason: string;
}

/** A stored decision. */
export interface AuditEntry extends AuditEntryInput {
  /** `aud_` followed by 24 random base64url characters. */
  id: string;
  /** ISO 8601: when the entry was appended. */
  at: string;
  /** Grows with every append to one database; never reused, so paging by it is exact. */
  seq: number;
}

/** Which entries to list; every given filter must match. */
export interface AuditQuery {
  userId?: string;
  tool?: string;
  verdict?: AuditVerdict;
  sessionId?: string;
  /** ISO 8601 inclusive lower bound; a time of day needs `Z` or an offset. */
  since?: string;
  /** entries with seq < before (paging) */
  before?: number;
  /** Most entries returned: default 100, at most 1000 (a larger limit is lowered to 1000). */
  limit?: number;
}

/**
 * The append-only log of authorization decisions. Entries are never changed or removed: the
 * database itself refuses an UPDATE or DELETE of them, whoever issues it.
 */
export interface AuditLog {
  append(entry: AuditEntryInput): Promise<AuditEntry>;
  /** Newest first. */
  list(query?: AuditQuery): Promise<AuditEntry[]>;
}
