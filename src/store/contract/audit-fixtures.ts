import { argumentsDigest } from '../audit-digest.js';
import type { AuditEntryInput, AuditLog } from '../types.js';
import type { ContractHarness } from './harness.js';

/** An audit log harness that can also reach the table past the store. */
export interface AuditLogHarness extends ContractHarness<AuditLog> {
  /**
   * Runs one SQL statement on the backend's own database, naming the table `audit_entries`
   * unqualified. Used to prove the database itself refuses changes to entries.
   */
  execute(sql: string): Promise<void>;
  /**
   * A statement, in the backend's own dialect, that writes a copy of the entry with `seq` over
   * it with another verdict (an upsert): append-only must refuse it too.
   */
  overwrite(seq: number): string;
}

export type AuditLogHarnessFactory = () => Promise<AuditLogHarness>;

export const DIGEST = argumentsDigest({ query: 'weather in Oslo', units: 'metric' });

export const ID_FORMAT = /^aud_[A-Za-z0-9_-]{24}$/;
export const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** A complete decision; the overrides replace fields. */
export function decision(overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    userId: 'alice',
    keyId: '0123456789abcdef',
    role: 'analyst',
    sessionId: 'sess_one',
    requestId: 'req_one',
    tool: 'web_search',
    callId: 'call_1',
    argumentsDigest: DIGEST,
    verdict: 'allowed',
    rule: 'role',
    reason: 'the analyst role may use web_search',
    ...overrides,
  };
}

/** A decision made outside any session or request. */
export function bareDecision(overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  const entry = decision(overrides);
  delete entry.sessionId;
  delete entry.requestId;
  return entry;
}

/** Resolves with the error a promise rejects with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}
